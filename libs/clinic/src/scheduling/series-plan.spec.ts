import { planSeriesDates, seriesSpanDays } from './series-plan.js';

const weekdaysOnly = (d: string) => !['sat', 'sun'].includes(d);

describe('induction series dates (clinical-rules.md section 1)', () => {
  it('ketamine IV: 6 sessions, 3 a week from a Monday: Mon/Wed/Fri for two weeks, 12 days', () => {
    const dates = planSeriesDates(
      { phases: [{ sessions: 6, perWeek: 3 }], minDaysApart: 1, windowDays: { min: 12, max: 21 } },
      '2027-03-08',
      weekdaysOnly,
    );
    expect(dates).toEqual(['2027-03-08', '2027-03-10', '2027-03-12', '2027-03-15', '2027-03-17', '2027-03-19']);
    expect(seriesSpanDays(dates)).toBe(12);
  });

  it('escalation: 6 sessions twice a week over 3 weeks', () => {
    const dates = planSeriesDates({ phases: [{ sessions: 6, perWeek: 2 }], minDaysApart: 1, windowDays: null }, '2027-03-08', weekdaysOnly);
    expect(dates).toEqual(['2027-03-08', '2027-03-11', '2027-03-15', '2027-03-18', '2027-03-22', '2027-03-25']);
  });

  it('esketamine: twice weekly weeks 1–4, then weekly weeks 5–8 (label)', () => {
    const dates = planSeriesDates(
      {
        phases: [
          { sessions: 8, perWeek: 2 },
          { sessions: 4, perWeek: 1 },
        ],
        minDaysApart: 1,
        windowDays: null,
      },
      '2027-03-02',
      weekdaysOnly,
    );
    expect(dates).toHaveLength(12);
    expect(dates.slice(0, 2)).toEqual(['2027-03-02', '2027-03-05']);
    expect(dates.slice(8)).toEqual(['2027-03-30', '2027-04-06', '2027-04-13', '2027-04-20']);
  });

  it('a closed day moves to the next open one', () => {
    const dates = planSeriesDates({ phases: [{ sessions: 3, perWeek: 3 }], minDaysApart: 1, windowDays: null }, '2027-03-11', weekdaysOnly);
    // Thu; Sat (closed) → Mon; Mon again is too close → Tue (at least 1 day apart)
    expect(dates).toEqual(['2027-03-11', '2027-03-15', '2027-03-16']);
  });

  it.each([
    ['a closure on the Wednesday moves that session to Thursday', ['2027-03-10'], ['2027-03-08', '2027-03-11', '2027-03-12']],
    ['closures on Wed and Thu: Fri, then Mon', ['2027-03-10', '2027-03-11'], ['2027-03-08', '2027-03-12', '2027-03-15']],
    ['a closure on the start date moves the first session', ['2027-03-08'], ['2027-03-09', '2027-03-10', '2027-03-12']],
  ])('%s', (_label, closed, expected) => {
    const plan = { phases: [{ sessions: 3, perWeek: 3 }], minDaysApart: 1, windowDays: null };
    expect(planSeriesDates(plan, '2027-03-08', weekdaysOnly, new Set(closed))).toEqual(expected);
  });
});
