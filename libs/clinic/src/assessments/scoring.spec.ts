import { itemProblems, score, suicideRisk, summarize } from './scoring.js';

/** PHQ-9 items that add up to `total` (each 0–3), with item 9 as given. */
function phq9(total: number, item9 = 0): number[] {
  const items = Array<number>(9).fill(0);
  items[8] = item9;
  let left = total - item9;
  for (let i = 0; i < 8 && left > 0; i++) {
    items[i] = Math.min(3, left);
    left -= items[i];
  }
  items[8] += left; // totals above 24 need item 9
  return items;
}

describe('PHQ-9 (clinical-rules.md section 5)', () => {
  const expected = (t: number) => (t >= 20 ? 'severe' : t >= 15 ? 'moderately severe' : t >= 10 ? 'moderate' : t >= 5 ? 'mild' : 'minimal');
  it.each(Array.from({ length: 28 }, (_, t) => [t, expected(t)] as const))('total %p is %s', (total, band) => {
    const s = score('PHQ9', phq9(total));
    expect(s).toMatchObject({ total, band, loinc: '44261-6' });
  });

  it.each([
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately severe'],
    [19, 'moderately severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('boundary %p is %s', (total, band) => {
    expect(score('PHQ9', phq9(total)).band).toBe(band);
  });

  it('item 9 above 0 flags suicide risk, whatever the total', () => {
    expect(score('PHQ9', phq9(1, 1)).flags).toEqual(['suicide-risk']);
    expect(score('PHQ9', phq9(20, 0)).flags).toEqual([]);
  });

  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0], 'items', 'PHQ9 has 9 items (got 8)'],
    [[0, 0, 0, 0, 4, 0, 0, 0, 0], 'items[4]', 'must be an integer 0–3'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 1.5], 'items[8]', 'must be an integer 0–3'],
    [[0, 0, 0, 0, 0, 0, 0, -1, 0], 'items[7]', 'must be an integer 0–3'],
  ])('refuses %p naming %s', (items, field, message) => {
    expect(itemProblems('PHQ9', items)).toEqual([{ field, message }]);
  });
});

describe('GAD-7, CADSS-6 and the C-SSRS screener', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 4], 'minimal', 4],
    [[1, 1, 1, 1, 1, 0, 0], 'mild', 5],
    [[3, 3, 3, 0, 0, 0, 0], 'mild', 9],
    [[3, 3, 3, 1, 0, 0, 0], 'moderate', 10],
    [[3, 3, 3, 3, 3, 0, 0], 'severe', 15],
    [[3, 3, 3, 3, 3, 3, 3], 'severe', 21],
  ])('GAD-7 %p is %s (%p)', (items, band, total) => {
    if (items[6] === 4) {
      expect(itemProblems('GAD7', items)).toEqual([{ field: 'items[6]', message: 'must be an integer 0–3' }]);
      return;
    }
    expect(score('GAD7', items)).toMatchObject({ band, total, loinc: '70274-6' });
  });

  it('CADSS-6: 6 items 0–4, total 0–24', () => {
    expect(score('CADSS6', [4, 4, 4, 4, 4, 4]).total).toBe(24);
    expect(itemProblems('CADSS6', [5, 0, 0, 0, 0, 0])).toEqual([{ field: 'items[0]', message: 'must be an integer 0–4' }]);
  });

  it.each([
    [[false, false, false, false, false, false], false, 'none'],
    [[true, true, false, false, false, false], false, 'low'],
    [[true, true, true, false, false, false], false, 'moderate'],
    [[true, true, true, true, false, false], false, 'high'],
    [[true, true, true, false, true, false], false, 'high'],
    [[false, false, false, false, false, true], false, 'moderate'],
    [[false, false, false, false, false, true], true, 'high'],
  ])('C-SSRS %p (behaviour in the past 3 months: %p) is %s', (items, recent, risk) => {
    const s = score('CSSRS', items, recent);
    expect(s.band).toBe(risk);
    expect(s.flags).toEqual(risk === 'high' ? ['suicide-risk-high'] : []);
  });
});

describe('outcomes (section 5), hand-computed series', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 0, d));
  const first = day(10);
  const pts = (...xs: [number, number][]) => xs.map(([d, total]) => ({ at: day(d), total }));
  it.each([
    [
      'no treatment yet: baseline is the latest score',
      pts([1, 20], [5, 18]),
      null,
      { baseline: 18, latest: 18, changePercent: 0, response: false, remission: false, relapse: false },
    ],
    [
      'response: 20 → 10 (-50%)',
      pts([5, 20], [12, 14], [20, 10]),
      first,
      { baseline: 20, latest: 10, changePercent: -50, response: true, remission: false, relapse: false },
    ],
    [
      'no response at -45%: 20 → 11',
      pts([5, 20], [20, 11]),
      first,
      { baseline: 20, latest: 11, changePercent: -45, response: false, remission: false, relapse: false },
    ],
    [
      'remission: 18 → 4',
      pts([2, 22], [8, 18], [25, 4]),
      first,
      { baseline: 18, latest: 4, changePercent: -77.8, response: true, remission: true, relapse: false },
    ],
    [
      'relapse: 20 → 8, then 12',
      pts([5, 20], [15, 8], [40, 12]),
      first,
      { baseline: 20, latest: 12, changePercent: -40, response: false, remission: false, relapse: true },
    ],
    [
      'back to exactly 50% is not a relapse: 20 → 8 → 10',
      pts([5, 20], [15, 8], [40, 10]),
      first,
      { baseline: 20, latest: 10, response: true, relapse: false },
    ],
    [
      'no score before the first dose nor within 60 min after it: no baseline',
      pts([12, 15], [20, 6]),
      first,
      { baseline: null, baselineKind: null, latest: 6, changePercent: null, response: false, remission: false, relapse: false },
    ],
    [
      'a score 74 s after the first dose is the baseline when none came before: 18 → 8 (-55.6%)',
      [{ at: new Date(first.getTime() + 74_000), total: 18 }, ...pts([24, 8])],
      first,
      { baseline: 18, baselineKind: 'after-first-dose', latest: 8, changePercent: -55.6, response: true, remission: false },
    ],
    [
      'exactly 60 min after the first dose still counts; the baseline alone shows no response',
      [{ at: new Date(first.getTime() + 60 * 60_000), total: 4 }],
      first,
      { baseline: 4, baselineKind: 'after-first-dose', latest: 4, response: false, remission: false },
    ],
    [
      '61 min after the first dose is too late: no baseline',
      [{ at: new Date(first.getTime() + 61 * 60_000), total: 18 }, ...pts([24, 8])],
      first,
      { baseline: null, baselineKind: null, latest: 8, changePercent: null, response: false },
    ],
    [
      'a score before the first dose wins over one just after it',
      [...pts([5, 20]), { at: new Date(first.getTime() + 10 * 60_000), total: 16 }, ...pts([24, 10])],
      first,
      { baseline: 20, baselineKind: 'before-first-dose', latest: 10, response: true },
    ],
  ])('%s', (_label, points, firstSession, expected) => {
    const s = summarize('PHQ9', points, firstSession, 60);
    expect({
      baseline: s.baseline?.total ?? null,
      baselineKind: s.baselineKind,
      latest: s.latest?.total ?? null,
      changePercent: s.changePercent,
      response: s.response,
      remission: s.remission,
      relapse: s.relapse,
    }).toMatchObject(expected);
  });
});

describe('remission by instrument (section 5): a score below 5 for PHQ-9 and GAD-7; CADSS-6 has none', () => {
  const first = new Date(Date.UTC(2026, 0, 10));
  const points = [
    { at: new Date(Date.UTC(2026, 0, 5)), total: 12 },
    { at: new Date(Date.UTC(2026, 0, 20)), total: 2 },
  ];
  it.each([
    ['PHQ9', true],
    ['GAD7', true],
    ['CADSS6', false],
  ] as const)('%s 12 → 2: remission %p', (instrument, remission) => {
    expect(summarize(instrument, points, first, 60).remission).toBe(remission);
  });
});

describe('suicide risk of a flag', () => {
  it.each([
    ['suicide-risk-high', [true, true, true, false, false, false], 'critical', 'C-SSRS screener: high suicide risk'],
    ['suicide-risk', [0, 0, 0, 0, 0, 0, 0, 0, 2], 'warning', 'PHQ-9 item 9 answered 2: suicide risk'],
  ] as const)('%s', (flag, items, level, message) => {
    expect(suicideRisk(flag, [...items])).toEqual({ flag, level, message });
  });
});
