import { dischargeVitals, type DischargeReading } from './discharge-vitals.js';

const now = new Date('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(now.getTime() - min * 60_000);
let n = 0;
const reading = (min: number, r: Partial<DischargeReading> = {}): DischargeReading => ({
  id: `r${++n}`,
  measuredAt: ago(min),
  recordedAt: ago(min),
  phase: 'observation',
  systolic: 120,
  breachLevel: 'none',
  moaas: null,
  ...r,
});
const facts = (readings: DischargeReading[], baselineReadingId: string | null = null) =>
  dischargeVitals(readings, baselineReadingId, now, 15);

describe('the vitals a discharge is judged on', () => {
  it('no readings: nothing known', () => {
    expect(facts([])).toEqual({ latestReading: null, breachRecordedAt: null, preDoseMoaas: null, latestMoaas: null });
  });

  it.each<[string, DischargeReading[], 'none' | 'warning' | 'critical', number | null]>([
    ['in range', [reading(30), reading(5)], 'none', 5],
    ['the latest blood pressure, not a later SpO2 alone', [reading(20), reading(2, { systolic: null })], 'none', 20],
    ['a warning in the window', [reading(10, { breachLevel: 'warning' }), reading(5)], 'warning', 5],
    [
      'a partial reading cannot hide a critical blood pressure',
      [reading(10, { breachLevel: 'critical' }), reading(2, { systolic: null })],
      'critical',
      10,
    ],
    [
      'critical outranks a later warning',
      [reading(10, { breachLevel: 'critical' }), reading(5, { breachLevel: 'warning' })],
      'critical',
      5,
    ],
    ['a breach before the window does not count', [reading(16, { breachLevel: 'critical' }), reading(5)], 'none', 5],
    ['a pre-dose breach does not count', [reading(5, { phase: 'pre-dose', breachLevel: 'warning' })], 'none', 5],
  ])('latest reading and worst breach: %s', (_name, readings, level, minutesAgo) => {
    expect(facts(readings).latestReading).toEqual(minutesAgo === null ? null : { measuredAt: ago(minutesAgo), breachLevel: level });
  });

  it('an attestation must come after the latest breaching reading of the window was recorded', () => {
    const f = facts([reading(12, { breachLevel: 'critical' }), reading(8, { breachLevel: 'warning', recordedAt: ago(7) }), reading(3)]);
    expect(f.breachRecordedAt).toEqual(ago(7));
    expect(facts([reading(3)]).breachRecordedAt).toBeNull();
  });

  it.each<[string, DischargeReading[], string | null, number | null, number | null]>([
    ['baseline score', [reading(90, { id: 'b', phase: 'pre-dose', moaas: 4 }), reading(5, { moaas: 4 })], 'b', 4, 4],
    [
      'no baseline: the latest pre-dose score',
      [reading(95, { phase: 'pre-dose', moaas: 5 }), reading(90, { phase: 'pre-dose', moaas: 4 }), reading(5, { moaas: 3 })],
      null,
      4,
      3,
    ],
    [
      'a baseline without a score: the latest pre-dose score',
      [reading(95, { phase: 'pre-dose', moaas: 5 }), reading(90, { id: 'b', phase: 'pre-dose' })],
      'b',
      5,
      null,
    ],
    ['the latest post-dose score, not the last reading', [reading(20, { moaas: 5 }), reading(5)], null, null, 5],
  ])('MOAA/S: %s', (_name, readings, baseline, preDose, latest) => {
    const f = facts(readings, baseline);
    expect([f.preDoseMoaas, f.latestMoaas]).toEqual([preDose, latest]);
  });
});
