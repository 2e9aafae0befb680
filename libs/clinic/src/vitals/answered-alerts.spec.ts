import { alertKey, alertsAnsweredBy, alertsToClear } from './answered-alerts.js';

const start = new Date('2026-11-29T10:00:00Z');
const min = (m: number) => new Date(start.getTime() + m * 60_000);
const esketamine = { checkpointsMin: [40], checkpointWindowMin: { before: 5, after: 10 } };
const iv = { checkpointsMin: [], checkpointWindowMin: { before: 5, after: 10 } };

describe('the warnings a reading answers (they clear themselves)', () => {
  it.each([
    ['esketamine BP at 41 min', esketamine, 41, { systolic: 130, diastolic: 80 }, ['vitals-overdue', 'rems-40-min-bp']],
    ['esketamine BP at 35 min (the window opens)', esketamine, 35, { systolic: 130, diastolic: 80 }, ['vitals-overdue', 'rems-40-min-bp']],
    [
      'esketamine BP at 60 min (late, still answers)',
      esketamine,
      60,
      { systolic: 130, diastolic: 80 },
      ['vitals-overdue', 'rems-40-min-bp'],
    ],
    ['esketamine BP at 30 min (too early)', esketamine, 30, { systolic: 130, diastolic: 80 }, ['vitals-overdue']],
    ['esketamine SpO2 only at 41 min', esketamine, 41, { spo2: 97 }, ['vitals-overdue']],
    ['IV: no checkpoint', iv, 41, { systolic: 130, diastolic: 80 }, ['vitals-overdue']],
  ] as const)('%s', (_what, vitals, m, values, measures) => {
    const answered = alertsAnsweredBy({ id: 'r1', sessionId: 's1', measuredAt: min(m), ...values }, start, vitals);
    expect(answered.map((a) => a.measure)).toEqual(measures);
  });

  it('before dosing only "vitals overdue"', () => {
    expect(alertsAnsweredBy({ id: 'r1', sessionId: 's1', measuredAt: min(41), systolic: 1, diastolic: 1 }, null, esketamine)).toHaveLength(
      1,
    );
  });

  it('only an alert unresolved on that session is cleared', () => {
    const answered = [
      ...alertsAnsweredBy({ id: 'r1', sessionId: 's1', measuredAt: min(41), systolic: 130, diastolic: 80 }, start, esketamine),
      ...alertsAnsweredBy({ id: 'r2', sessionId: 's2', measuredAt: min(41), systolic: 130, diastolic: 80 }, start, esketamine),
    ];
    const unresolved = new Set([alertKey('s1', 'rems-40-min-bp'), alertKey('s2', 'vitals-overdue'), alertKey('s2', 'spo2')]);
    expect(alertsToClear(answered, unresolved).map((a) => `${a.sessionId} ${a.measure}`)).toEqual([
      's1 rems-40-min-bp',
      's2 vitals-overdue',
    ]);
    expect(alertsToClear(answered, new Set())).toEqual([]);
  });
});
