import { dischargeVitals, type DischargeReading, type DosingTimes } from './discharge-vitals.js';

const now = new Date('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(now.getTime() - min * 60_000);
let n = 0;
const reading = (min: number, r: Partial<DischargeReading> = {}): DischargeReading => ({
  id: `r${++n}`,
  measuredAt: ago(min),
  recordedAt: ago(min),
  systolic: 120,
  breachLevel: 'none',
  moaas: null,
  ...r,
});
/** Dosing ran from 80 to 40 minutes ago: readings before 80 are pre-dose, readings from 40 on count for recovery. */
const DOSING: DosingTimes = { baselineReadingId: null, dosingStartedAt: ago(80), dosingEndedAt: ago(40) };
const facts = (readings: DischargeReading[], times: Partial<DosingTimes> = {}) =>
  dischargeVitals(readings, { ...DOSING, ...times }, now, 15);

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
    ['a pre-dose breach does not count', [reading(85, { breachLevel: 'warning' }), reading(5)], 'none', 5],
    ['only readings during dosing: no blood pressure after it', [reading(79), reading(41)], 'none', null],
    ['a reading at the very end of dosing counts', [reading(40)], 'none', 40],
  ])('latest reading and worst breach: %s', (_name, readings, level, minutesAgo) => {
    expect(facts(readings).latestReading).toEqual(minutesAgo === null ? null : { measuredAt: ago(minutesAgo), breachLevel: level });
  });

  it('a breach during dosing does not count for the discharge window, whatever phase it was stored with', () => {
    // Dosing ended 10 minutes ago: a reading 12 minutes ago is inside the 15-minute window but was taken during the infusion.
    const f = facts([reading(12, { breachLevel: 'critical' }), reading(3)], { dosingEndedAt: ago(10) });
    expect(f.latestReading).toEqual({ measuredAt: ago(3), breachLevel: 'none' });
    expect(f.breachRecordedAt).toBeNull();
  });

  it('an attestation must come after the latest breaching reading of the window was recorded', () => {
    const f = facts([reading(12, { breachLevel: 'critical' }), reading(8, { breachLevel: 'warning', recordedAt: ago(7) }), reading(3)]);
    expect(f.breachRecordedAt).toEqual(ago(7));
    expect(facts([reading(3)]).breachRecordedAt).toBeNull();
  });

  it.each<[string, DischargeReading[], string | null, number | null, number | null]>([
    ['baseline score', [reading(90, { id: 'b', moaas: 4 }), reading(5, { moaas: 4 })], 'b', 4, 4],
    [
      'no baseline: the latest pre-dose score',
      [reading(95, { moaas: 5 }), reading(90, { moaas: 4 }), reading(5, { moaas: 3 })],
      null,
      4,
      3,
    ],
    ['a baseline without a score: the latest pre-dose score', [reading(95, { moaas: 5 }), reading(90, { id: 'b' })], 'b', 5, null],
    ['the latest post-dose score, not the last reading', [reading(20, { moaas: 5 }), reading(5)], null, null, 5],
    // The clinic day: the only MOAA/S was a 5 at minute 3 of the infusion; it says nothing of recovery.
    ['a score during dosing is no recovery', [reading(90, { moaas: 5 }), reading(77, { moaas: 5 }), reading(5)], null, 5, null],
    [
      'a 5 during dosing does not hide a 3 after it',
      [reading(50, { moaas: 5 }), reading(30, { moaas: 3 }), reading(45, { moaas: 5 })],
      null,
      null,
      3,
    ],
  ])('MOAA/S: %s', (_name, readings, baseline, preDose, latest) => {
    const f = facts(
      [...readings].sort((x, y) => x.measuredAt.getTime() - y.measuredAt.getTime()),
      { baselineReadingId: baseline },
    );
    expect([f.preDoseMoaas, f.latestMoaas]).toEqual([preDose, latest]);
  });
});
