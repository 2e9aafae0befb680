import { atCheckpoint, checkpointBpFrom, remsBpRecorded, remsReportable, underRems, type BpReading } from './rems-rules.js';

const start = new Date('2026-11-21T10:00:00Z');
const at = (min: number) => new Date(start.getTime() + min * 60_000);
const VITALS = { checkpointsMin: [40], checkpointWindowMin: { before: 5, after: 10 }, dischargeMaxAgeMin: 15 };
const bp = (
  min: number,
  phase: BpReading['phase'] = 'observation',
  systolic: number | null = 120,
  diastolic: number | null = 80,
): BpReading => ({
  measuredAt: at(min),
  phase,
  systolic,
  diastolic,
});
const ESKETAMINE = { preSession: { remsEnrollmentRequired: true } } as const;
const KETAMINE = { preSession: { remsEnrollmentRequired: false } } as const;

describe('Spravato REMS rules', () => {
  it.each([
    ['esketamine (REMS enrollment required)', ESKETAMINE, true],
    ['ketamine', KETAMINE, false],
  ])('%s: under REMS %s', (_name, protocol, expected) => {
    expect(underRems(protocol as never)).toBe(expected);
  });

  it.each<[string, typeof ESKETAMINE | typeof KETAMINE, string, boolean]>([
    ['esketamine, sedation', ESKETAMINE, 'sedation', true],
    ['esketamine, dissociation', ESKETAMINE, 'dissociation', true],
    ['esketamine, respiratory depression', ESKETAMINE, 'respiratory-depression', true],
    ['esketamine, blood pressure increase', ESKETAMINE, 'blood-pressure-increase', true],
    ['esketamine, headache (not on the form)', ESKETAMINE, 'headache', false],
    ['ketamine, sedation', KETAMINE, 'sedation', false],
  ])('reportable on the REMS form: %s', (_name, protocol, kind, expected) => {
    expect(remsReportable(protocol as never, kind)).toBe(expected);
  });

  it.each<[string, BpReading, Date | null, boolean]>([
    ['at 40 min', bp(40), start, true],
    ['35 min: the window opens', bp(35), start, true],
    ['34 min: too early', bp(34), start, false],
    ['50 min: the window closes', bp(50), start, true],
    ['51 min: too late', bp(51), start, false],
    ['no diastolic', bp(40, 'observation', 120, null), start, false],
    ['dosing not started', bp(40), null, false],
  ])('the 40-minute checkpoint: %s', (_name, reading, dosingStartedAt, expected) => {
    expect(atCheckpoint(dosingStartedAt, VITALS)(reading)).toBe(expected);
  });

  it('a protocol without a checkpoint has no checkpoint reading', () => {
    expect(atCheckpoint(start, { ...VITALS, checkpointsMin: [] })(bp(40))).toBe(false);
  });

  const discharge = at(125);
  it.each<[string, BpReading[], { preDose: boolean; at40Min: boolean; beforeDischarge: boolean }]>([
    ['all three', [bp(-10, 'pre-dose'), bp(40), bp(115)], { preDose: true, at40Min: true, beforeDischarge: true }],
    ['none', [], { preDose: false, at40Min: false, beforeDischarge: false }],
    ['no pre-dose', [bp(40), bp(115)], { preDose: false, at40Min: true, beforeDischarge: true }],
    ['the last is 16 min old', [bp(-10, 'pre-dose'), bp(40), bp(109)], { preDose: true, at40Min: true, beforeDischarge: false }],
    ['the last is 15 min old', [bp(-10, 'pre-dose'), bp(40), bp(110)], { preDose: true, at40Min: true, beforeDischarge: true }],
    [
      'a pre-dose reading is not the one before discharge',
      [bp(124, 'pre-dose')],
      { preDose: true, at40Min: false, beforeDischarge: false },
    ],
    [
      'SpO2 alone is no blood pressure',
      [bp(-10, 'pre-dose', null, null), bp(40, 'observation', null, null)],
      {
        preDose: false,
        at40Min: false,
        beforeDischarge: false,
      },
    ],
  ])('the label blood pressures recorded: %s', (_name, readings, expected) => {
    expect(remsBpRecorded(readings, start, VITALS, discharge)).toEqual(expected);
  });

  it.each<[string, Date | null, number[], { checkpoint: number; from: Date } | null]>([
    ['esketamine: from 35 min', start, [40], { checkpoint: 40, from: at(35) }],
    ['no checkpoint', start, [], null],
    ['dosing not started', null, [40], null],
  ])('the 40-minute reminder looks from: %s', (_name, dosingStartedAt, checkpointsMin, expected) => {
    expect(checkpointBpFrom(dosingStartedAt, { ...VITALS, checkpointsMin })).toEqual(expected);
  });
});
