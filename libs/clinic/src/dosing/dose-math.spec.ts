import { deviceDose, doseRangeProblems, mgPerKgForSession, roundTo, weightBasedDose, weightIsCurrent } from './dose-math.js';

// clinical-rules.md section 1, worked examples.
describe('weight-based dose arithmetic', () => {
  it.each([
    // weightKg, mgPerKg, minutes, mg/mL, orderedDoseMg, doseMg, rateMgPerH, rateMlPerH, volumeMl
    [70, 0.5, 40, 1, 35, 35, 52.5, 52.5, 35],
    [80, 0.75, 45, 1, 60, 60, 80, 80, 60],
    [70, 0.5, 40, 10, 35, 35, 52.5, 5.3, 3.5],
    [80, 0.75, 45, 50, 60, 60, 80, 1.6, 1.2],
    [73.4, 0.5, 40, 1, 36.7, 36.7, 55.1, 55.1, 36.7],
    [68.25, 0.5, 40, 1, 34.125, 34.1, 51.2, 51.2, 34.1],
  ])('%p kg × %p mg/kg over %p min at %p mg/mL', (weightKg, mgPerKg, minutes, conc, ordered, dose, mgPerH, mlPerH, volume) => {
    const d = weightBasedDose({ weightKg, mgPerKg, durationMin: minutes, concentrationMgPerMl: conc });
    expect(d.orderedDoseMg).toBe(ordered);
    expect(d.doseMg).toBe(dose);
    expect(d.rateMgPerH).toBe(mgPerH);
    expect(d.rateMlPerH).toBe(mlPerH);
    expect(d.volumeMl).toBe(volume);
  });

  it('never rounds the order itself, only what is delivered', () => {
    const d = weightBasedDose({ weightKg: 68.25, mgPerKg: 0.5, durationMin: 40 });
    expect(d.orderedDoseMg).toBe(34.125);
    expect(d.doseMg).toBe(34.1);
  });

  it('an injection has no rate; without a concentration there is no volume', () => {
    const d = weightBasedDose({ weightKg: 70, mgPerKg: 0.5, durationMin: null });
    expect(d).toMatchObject({ doseMg: 35, rateMgPerH: null, rateMlPerH: null, volumeMl: null });
  });

  it.each([
    [1.005, 2, 1.01],
    [0.15, 1, 0.2],
    [52.45, 1, 52.5],
    [2.5, 0, 3],
  ])('rounds %p to %p places as %p (half away from zero)', (value, places, expected) => {
    expect(roundTo(value, places)).toBe(expected);
  });
});

describe('the dose rule by session', () => {
  const escalation = {
    kind: 'weight-based' as const,
    steps: [
      { sessions: 3, mgPerKg: 0.5 },
      { sessions: null, mgPerKg: 0.75 },
    ],
  };
  it.each([
    [1, 0.5],
    [3, 0.5],
    [4, 0.75],
    [6, 0.75],
    [9, 0.75],
  ])('Cusin 2017 escalation: session %p is %p mg/kg', (n, expected) => {
    expect(mgPerKgForSession(escalation, n)).toBe(expected);
  });
});

describe('dose limits for racemic ketamine', () => {
  const limits = { minMgPerKg: 0.1, maxMgPerKg: 1.0, maxStepMgPerKg: 0.25 };
  it.each([
    [0.5, null, []],
    [0.1, null, []],
    [1.0, null, []],
    [0.09, null, ['DOSE_BELOW_MIN']],
    [1.1, null, ['DOSE_ABOVE_MAX']],
    [0.75, 0.5, []],
    [0.8, 0.5, ['DOSE_STEP_TOO_LARGE']],
    [0.2, 0.5, ['DOSE_STEP_TOO_LARGE']],
    [1.2, 0.5, ['DOSE_ABOVE_MAX', 'DOSE_STEP_TOO_LARGE']],
  ])('%p mg/kg after %p gives %p', (mgPerKg, last, codes) => {
    const problems = doseRangeProblems(mgPerKg, limits, last);
    expect(problems.map((p) => p.code)).toEqual(codes);
    expect(problems.every((p) => p.overridable === true)).toBe(true);
  });
});

describe('esketamine devices (Spravato label)', () => {
  const rule = { kind: 'fixed-devices' as const, deviceMg: 28, allowedDosesMg: [56, 84], firstDoseMg: 56, minutesBetweenDevices: 5 };
  it.each([
    [56, [], [], 2, 10],
    [84, [], ['DOSE_BEFORE_FIRST_DOSE'], 3, 15],
    [84, [56], [], 3, 15],
    [56, [84, 56], [], 2, 10],
    [28, [56], ['DOSE_NOT_ALLOWED'], 1, 5],
    [112, [56], ['DOSE_NOT_ALLOWED'], 4, 20],
    [70, [56], ['DOSE_NOT_ALLOWED'], 3, 15],
  ])('%p mg after %p: %p, %p devices over %p min', (doseMg, previous, codes, devices, minutes) => {
    const { dose, problems } = deviceDose(rule, doseMg, previous);
    expect(problems.map((p) => p.code)).toEqual(codes);
    expect(problems.every((p) => p.overridable === false)).toBe(true);
    expect(dose.devices).toBe(devices);
    expect(dose.durationMin).toBe(minutes);
  });
});

describe('weight age', () => {
  const now = new Date('2026-03-31T12:00:00Z');
  it.each([
    ['2026-03-01T12:00:00Z', true],
    ['2026-03-01T11:59:59Z', false],
    ['2026-03-31T08:00:00Z', true],
  ])('a weight measured at %p is current: %p', (at, expected) => {
    expect(weightIsCurrent(new Date(at), now, 30)).toBe(expected);
  });
});
