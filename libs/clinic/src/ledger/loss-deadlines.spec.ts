import { zonedTimeToUtc } from '#platform';
import { lossDeadlines, lossMilestones, nextBusinessDay } from './loss-deadlines.js';

const NY = 'America/New_York';
const at = (date: string, time: string, zone = NY) => zonedTimeToUtc(date, time, zone);

describe('loss or theft: the notice is due by the end of the next business day, Form 106 by the end of day 45', () => {
  it.each([
    // discovered (local), holidays, notice due by the end of, its instant (UTC), Form 106 due by the end of, its instant (UTC)
    ['Friday 16:00', '2026-11-20', '16:00', [], '2026-11-23', '2026-11-24T05:00:00.000Z', '2027-01-04', '2027-01-05T05:00:00.000Z'],
    [
      'Friday 16:00 before a Monday holiday',
      '2027-01-15',
      '16:00',
      ['2027-01-18'],
      '2027-01-19',
      '2027-01-20T05:00:00.000Z',
      '2027-03-01',
      '2027-03-02T05:00:00.000Z',
    ],
    ['Thursday 23:30', '2026-11-19', '23:30', [], '2026-11-20', '2026-11-21T05:00:00.000Z', '2027-01-03', '2027-01-04T05:00:00.000Z'],
    ['Sunday', '2026-11-22', '10:00', [], '2026-11-23', '2026-11-24T05:00:00.000Z', '2027-01-06', '2027-01-07T05:00:00.000Z'],
    [
      'a holiday Monday',
      '2026-09-07',
      '09:00',
      ['2026-09-07'],
      '2026-09-08',
      '2026-09-09T04:00:00.000Z',
      '2026-10-22',
      '2026-10-23T04:00:00.000Z',
    ],
    [
      'Wednesday before Thanksgiving and its Friday',
      '2026-11-25',
      '12:00',
      ['2026-11-26', '2026-11-27'],
      '2026-11-30',
      '2026-12-01T05:00:00.000Z',
      '2027-01-09',
      '2027-01-10T05:00:00.000Z',
    ],
    // Clocks spring forward on Sunday 2026-03-08: Monday ends at midnight EDT (UTC−4); day 45 is in EDT too.
    [
      'Saturday before the spring change',
      '2026-03-07',
      '10:00',
      [],
      '2026-03-09',
      '2026-03-10T04:00:00.000Z',
      '2026-04-21',
      '2026-04-22T04:00:00.000Z',
    ],
    // Clocks fall back on Sunday 2026-11-01: discovered in EDT, due at midnight EST (UTC−5).
    [
      'Friday before the autumn change',
      '2026-10-30',
      '16:00',
      [],
      '2026-11-02',
      '2026-11-03T05:00:00.000Z',
      '2026-12-14',
      '2026-12-15T05:00:00.000Z',
    ],
  ])('%s', (_what, date, time, holidays, noticeOn, noticeAt, form106On, form106At) => {
    const d = lossDeadlines(at(date, time), NY, new Set(holidays));
    expect(d).toEqual({
      noticeDueOn: noticeOn,
      noticeDueAt: new Date(noticeAt),
      form106DueOn: form106On,
      form106DueAt: new Date(form106At),
    });
  });

  it('counts the day of discovery in the clinic’s zone: 22:00 Friday in Los Angeles is Saturday in UTC', () => {
    const d = lossDeadlines(at('2026-11-20', '22:00', 'America/Los_Angeles'), 'America/Los_Angeles', new Set());
    expect(d.noticeDueOn).toBe('2026-11-23');
    expect(d.noticeDueAt.toISOString()).toBe('2026-11-24T08:00:00.000Z');
  });

  it.each([
    ['2026-11-20', [], '2026-11-23'],
    ['2026-11-21', [], '2026-11-23'],
    ['2026-12-24', ['2026-12-25'], '2026-12-28'],
    ['2026-12-31', ['2027-01-01'], '2027-01-04'],
  ])('the business day after %s (holidays %p) is %s', (date, holidays, next) => {
    expect(nextBusinessDay(date, new Set(holidays))).toBe(next);
  });

  it('reminds half-way and at nine tenths of each window, and is overdue at its end', () => {
    const found = at('2026-11-20', '16:00');
    const m = lossMilestones(found, lossDeadlines(found, NY, new Set()));
    expect(m.map((x) => `${x.clock} ${x.kind} ${x.dueAt.toISOString()}`)).toEqual([
      // Friday 21:00 UTC to Tuesday 05:00 UTC is 80 hours: 40 and 72 hours in.
      'notice reminder-50 2026-11-22T13:00:00.000Z',
      'notice reminder-90 2026-11-23T21:00:00.000Z',
      'notice overdue 2026-11-24T05:00:00.000Z',
      'form-106 reminder-50 2026-12-13T13:00:00.000Z',
      // 1,088 hours to the end of day 45: 544 and 979.2 hours in.
      'form-106 reminder-90 2026-12-31T16:12:00.000Z',
      'form-106 overdue 2027-01-05T05:00:00.000Z',
    ]);
  });
});
