import { toKg, weightProblems } from './weights.js';

const now = new Date('2027-03-15T12:00:00Z');
const FIELDS = { value: 'value', measuredAt: 'measuredAt' };

describe('weights', () => {
  it.each([
    [72.5, 'kg', 72.5],
    [165, 'lb', 74.843],
    [100, 'lb', 45.359],
    [0, 'lb', 0],
  ] as const)('%s %s is %s kg', (value, unit, kg) => {
    expect(toKg(value, unit)).toBe(kg);
  });

  it.each([
    ['a plausible weight now', 72.5, 'kg', now, []],
    ['20 kg, the lowest', 20, 'kg', now, []],
    ['400 kg, the highest', 400, 'kg', now, []],
    ['19.99 kg', 19.99, 'kg', now, ['value']],
    ['1000 lb is 453.6 kg', 1000, 'lb', now, ['value']],
    ['44 lb is 19.958 kg', 44, 'lb', now, ['value']],
    ['measured 2 minutes ahead (clock skew)', 72, 'kg', new Date(now.getTime() + 120_000), []],
    ['measured an hour ahead', 72, 'kg', new Date(now.getTime() + 3_600_000), ['measuredAt']],
    ['both wrong', 5, 'kg', new Date(now.getTime() + 3_600_000), ['value', 'measuredAt']],
    ['no time given: measured now', 72, 'kg', undefined, []],
    ['no unit given (refused by the form): the value is not judged', 5, undefined, now, []],
  ] as const)('%s', (_name, value, unit, measuredAt, fields) => {
    expect(weightProblems(value, unit, measuredAt, now, FIELDS).map((p) => p.field)).toEqual(fields);
  });

  it('names the fields as the request does (a registration sends weightKg and weightMeasuredAt)', () => {
    const later = new Date(now.getTime() + 3_600_000);
    expect(weightProblems(500, 'kg', later, now, { value: 'weightKg', measuredAt: 'weightMeasuredAt' }).map((p) => p.field)).toEqual([
      'weightKg',
      'weightMeasuredAt',
    ]);
  });
});
