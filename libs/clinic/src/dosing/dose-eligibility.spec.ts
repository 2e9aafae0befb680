import { eligibilityProblems } from './dose-eligibility.js';

const now = new Date('2027-03-15T12:00:00Z');
const daysAgo = (d: number) => ({ measuredAt: new Date(now.getTime() - d * 86_400_000) });
const protocol = { key: 'ketamine-iv-standard', minAgeYears: 18, weightMaxAgeDays: 30 };

describe('who may be dosed at all', () => {
  it.each([
    ['an adult weighed last week', 40, daysAgo(7), []],
    ['weighed exactly 30 days ago', 40, daysAgo(30), []],
    ['weighed 31 days ago', 40, daysAgo(31), ['WEIGHT_OUT_OF_DATE']],
    ['no weight', 40, null, ['WEIGHT_MISSING']],
    ['17 years old', 17, daysAgo(1), ['PATIENT_UNDER_MIN_AGE']],
    ['17 and never weighed', 17, null, ['PATIENT_UNDER_MIN_AGE', 'WEIGHT_MISSING']],
  ] as const)('%s', (_name, age, weight, codes) => {
    const problems = eligibilityProblems(age, weight, protocol, now);
    expect(problems.map((p) => p.code)).toEqual(codes);
    expect(problems.every((p) => p.overridable === false)).toBe(true);
  });
});
