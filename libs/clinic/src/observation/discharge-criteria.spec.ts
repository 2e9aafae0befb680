import { dischargeProblems, type DischargeFacts } from './discharge-criteria.js';

const now = new Date('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(now.getTime() - min * 60_000);
const OK: DischargeFacts = {
  now,
  observationFrom: ago(31),
  minObservationMin: 30,
  vitalsMaxAgeMin: 15,
  latestReading: { measuredAt: ago(5), breachLevel: 'none' },
  vitalsAttested: false,
  unresolvedAlerts: 0,
  preDoseMoaas: 5,
  latestMoaas: 5,
  dissociation: 'resolved',
  checklist: { alertAndOriented: true, walksSteadily: true, nauseaControlled: true, escortConfirmed: true, drivingInstructionGiven: true },
  remsBp: null,
};
const codes = (f: Partial<DischargeFacts>) => dischargeProblems({ ...OK, ...f }).map((p) => `${p.code}${p.overridable ? '~' : ''}`);

describe('discharge criteria (clinical-rules.md section 4)', () => {
  it.each<[string, Partial<DischargeFacts>, string[]]>([
    ['every criterion holds', {}, []],
    ['29 of 30 minutes observed', { observationFrom: ago(29) }, ['MIN_OBSERVATION_NOT_MET']],
    ['exactly 30 minutes', { observationFrom: ago(30) }, []],
    ['esketamine at 119 of 120 minutes', { minObservationMin: 120, observationFrom: ago(119) }, ['MIN_OBSERVATION_NOT_MET']],
    ['esketamine at 120 minutes', { minObservationMin: 120, observationFrom: ago(120) }, []],
    ['dosing not ended', { observationFrom: null }, ['MIN_OBSERVATION_NOT_MET']],
    ['vitals 16 minutes old', { latestReading: { measuredAt: ago(16), breachLevel: 'none' } }, ['VITALS_STALE']],
    ['no vitals', { latestReading: null }, ['VITALS_STALE']],
    ['latest vitals breach a warning', { latestReading: { measuredAt: ago(3), breachLevel: 'warning' } }, ['VITALS_OUT_OF_RANGE~']],
    ['…attested by an anesthesiologist', { latestReading: { measuredAt: ago(3), breachLevel: 'warning' }, vitalsAttested: true }, []],
    ['an alert not resolved', { unresolvedAlerts: 1 }, ['OPEN_ALERTS']],
    ['MOAA/S 4 after a pre-dose 5', { latestMoaas: 4 }, ['SEDATION_NOT_RESOLVED']],
    ['MOAA/S never recorded', { latestMoaas: null }, ['SEDATION_NOT_RESOLVED']],
    ['dissociation present', { dissociation: 'present' }, ['DISSOCIATION_NOT_RESOLVED']],
    ['dissociation not assessed', { dissociation: null }, ['DISSOCIATION_NOT_RESOLVED']],
    ['not oriented', { checklist: { ...OK.checklist, alertAndOriented: false } }, ['NOT_ALERT_AND_ORIENTED']],
    ['unsteady', { checklist: { ...OK.checklist, walksSteadily: false } }, ['GAIT_UNSTEADY']],
    ['nausea', { checklist: { ...OK.checklist, nauseaControlled: false } }, ['NAUSEA_NOT_CONTROLLED']],
    ['no escort', { checklist: { ...OK.checklist, escortConfirmed: false } }, ['ESCORT_NOT_CONFIRMED']],
    ['not told about driving', { checklist: { ...OK.checklist, drivingInstructionGiven: false } }, ['DRIVING_INSTRUCTION_NOT_GIVEN']],
    ['esketamine: the 40-minute BP missing', { remsBp: { preDose: true, at40Min: false, beforeDischarge: true } }, ['REMS_BP_MISSING']],
    ['esketamine: all three BPs', { remsBp: { preDose: true, at40Min: true, beforeDischarge: true } }, []],
    [
      'everything at once',
      {
        observationFrom: ago(10),
        latestReading: { measuredAt: ago(2), breachLevel: 'critical' },
        unresolvedAlerts: 2,
        latestMoaas: 3,
        dissociation: 'present',
        checklist: {
          alertAndOriented: false,
          walksSteadily: false,
          nauseaControlled: false,
          escortConfirmed: false,
          drivingInstructionGiven: false,
        },
        remsBp: { preDose: false, at40Min: false, beforeDischarge: false },
      },
      [
        'MIN_OBSERVATION_NOT_MET',
        'VITALS_OUT_OF_RANGE~',
        'OPEN_ALERTS',
        'SEDATION_NOT_RESOLVED',
        'DISSOCIATION_NOT_RESOLVED',
        'NOT_ALERT_AND_ORIENTED',
        'GAIT_UNSTEADY',
        'NAUSEA_NOT_CONTROLLED',
        'ESCORT_NOT_CONFIRMED',
        'DRIVING_INSTRUCTION_NOT_GIVEN',
        'REMS_BP_MISSING',
      ],
    ],
  ])('%s', (_label, facts, expected) => {
    expect(codes(facts)).toEqual(expected);
  });

  it.each<[string, Partial<DischargeFacts>, string, { vital: string; lastMeasuredAt: string | null; minutesAgo: number | null }]>([
    [
      'measured 22 minutes ago',
      { latestReading: { measuredAt: ago(22), breachLevel: 'none' } },
      'blood pressure last measured 22 min ago (at most 15 min before discharge)',
      { vital: 'blood-pressure', lastMeasuredAt: ago(22).toISOString(), minutesAgo: 22 },
    ],
    [
      'never measured after dosing',
      { latestReading: null },
      'no blood pressure measured since the end of dosing (one at most 15 min before discharge is needed)',
      { vital: 'blood-pressure', lastMeasuredAt: null, minutesAgo: null },
    ],
  ])('VITALS_STALE names the stale vital and its age: %s', (_label, facts, message, stale) => {
    const [p] = dischargeProblems({ ...OK, ...facts });
    expect(p).toEqual({ code: 'VITALS_STALE', message, stale: [stale], overridable: false });
  });

  it('says how many minutes remain', () => {
    const [p] = dischargeProblems({ ...OK, minObservationMin: 120, observationFrom: ago(100) });
    expect(p).toMatchObject({ code: 'MIN_OBSERVATION_NOT_MET', minutesRemaining: 20, overridable: false });
  });
});
