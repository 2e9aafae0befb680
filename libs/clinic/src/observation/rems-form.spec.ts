import { remsFormFields, type RemsFormRecords } from './rems-form.js';

const start = new Date('2026-11-21T10:00:00Z');
const at = (min: number) => new Date(start.getTime() + min * 60_000);
type Reading = RemsFormRecords['readings'][number];
let n = 0;
const reading = (min: number, r: Partial<Reading> = {}): Reading => ({
  id: `r${++n}`,
  measuredAt: at(min),
  phase: 'observation',
  systolic: 120,
  diastolic: 80,
  breachLevel: 'none',
  breaches: [],
  moaas: 5,
  ...r,
});
const breach = (measure: string, rule: 'high' | 'low' = 'low') =>
  ({ measure, rule, level: 'warning', value: 0, limit: 0, message: '' }) as Reading['breaches'][number];

const BASE: RemsFormRecords = {
  session: { dosingStartedAt: start, doseMg: 56, deliveredDoseMg: null, baselineReadingId: 'base', startOverrides: [] },
  vitals: { checkpointsMin: [40], checkpointWindowMin: { before: 5, after: 10 } },
  at: at(121),
  complete: true,
  readyToLeaveMin: 90,
  patient: { firstName: 'Ada', lastName: 'Byron', dateOfBirth: '1990-01-02', sex: 'female' },
  clinicName: 'Harbour Clinic',
  readings: [reading(-10, { id: 'base', phase: 'pre-dose' }), reading(41), reading(115)],
  earlierTreatments: 0,
  lotNumber: 'LOT-1',
  medications: [
    { name: 'lorazepam', drugClass: 'benzodiazepine' },
    { name: 'sertraline', drugClass: 'other' },
  ],
  adverseEvents: [],
  checks: [{ dissociation: 'resolved' }],
  monitor: { name: 'Nora Nurse', email: 'nora@example.test' },
  remsEnrolled: true,
};
const form = (f: Partial<RemsFormRecords> = {}) => remsFormFields({ ...BASE, ...f });

describe('the REMS Patient Monitoring Form (docs/clinical-rules.md section 4)', () => {
  it('fills every field of a complete form', () => {
    expect(form()).toEqual({
      patient: { firstName: 'Ada', lastName: 'Byron', dateOfBirth: '1990-01-02', sex: 'female' },
      firstTreatment: true,
      remsEnrolled: true,
      concomitantMedications: {
        any: true,
        count: 2,
        names: ['lorazepam (benzodiazepine)', 'sertraline (other)'],
        interacting: ['lorazepam (benzodiazepine)'],
      },
      monitoringProvider: { name: 'Nora Nurse', email: 'nora@example.test' },
      setting: { name: 'Harbour Clinic' },
      treatmentDate: '2026-11-21',
      doseMg: 56,
      lotNumber: 'LOT-1',
      durationMin: 121,
      readyToLeaveMin: 90,
      vitalsAcceptableBeforeAdministration: true,
      vitalsAcceptableBeforeCompletion: true,
      bloodPressure: {
        beforeAdministration: { systolic: 120, diastolic: 80, measuredAt: at(-10).toISOString() },
        at40Min: { systolic: 120, diastolic: 80, measuredAt: at(41).toISOString() },
        beforeCompletion: { systolic: 120, diastolic: 80, measuredAt: at(115).toISOString() },
      },
      sedation: false,
      dissociation: false,
      respiratoryDepression: false,
      adverseEvents: [],
    });
  });

  it.each<[string, Partial<RemsFormRecords>, Record<string, unknown>]>([
    ['a draft has no duration', { complete: false }, { durationMin: null }],
    ['not the first treatment', { earlierTreatments: 2 }, { firstTreatment: false }],
    ['stopped after 1 of 2 devices: the dose given', { session: { ...BASE.session, deliveredDoseMg: 28 } }, { doseMg: 28 }],
    ['no medication', { medications: [] }, { concomitantMedications: { any: false, count: 0, names: [], interacting: [] } }],
    [
      'a medication that does not interact is still concomitant',
      { medications: [{ name: 'sertraline', drugClass: 'other' }] },
      { concomitantMedications: { any: true, count: 1, names: ['sertraline (other)'], interacting: [] } },
    ],
    ['dosing not started', { session: { ...BASE.session, dosingStartedAt: null } }, { treatmentDate: null, durationMin: null }],
    ['no baseline reading', { session: { ...BASE.session, baselineReadingId: null } }, { vitalsAcceptableBeforeAdministration: null }],
    [
      'a high baseline overridden',
      { session: { ...BASE.session, startOverrides: [{ code: 'BASELINE_BP_HIGH' }] as never } },
      { vitalsAcceptableBeforeAdministration: false },
    ],
    [
      'the last reading breaches',
      { readings: [reading(-10, { id: 'base', phase: 'pre-dose' }), reading(115, { breachLevel: 'warning' })] },
      { vitalsAcceptableBeforeCompletion: false },
    ],
    ['a low MOAA/S breach is sedation', { readings: [reading(30, { breaches: [breach('moaas')] })] }, { sedation: true }],
    [
      'a sedation event',
      {
        adverseEvents: [
          {
            kind: 'sedation',
            severity: 'mild',
            onsetAt: at(30),
            actionTaken: 'observed',
            outcome: 'resolved',
            resolvedAt: at(50),
            remsReportable: true,
          },
        ],
      },
      { sedation: true },
    ],
    ['dissociation present at a check', { checks: [{ dissociation: 'present' }, { dissociation: 'resolved' }] }, { dissociation: true }],
    ['a low SpO2 is respiratory depression', { readings: [reading(30, { breaches: [breach('spo2')] })] }, { respiratoryDepression: true }],
    ['a low respiratory rate too', { readings: [reading(30, { breaches: [breach('respiratoryRate')] })] }, { respiratoryDepression: true }],
    [
      'a high respiratory rate is not',
      { readings: [reading(30, { breaches: [breach('respiratoryRate', 'high')] })] },
      { respiratoryDepression: false },
    ],
    [
      'no 40-minute reading',
      { readings: [reading(-10, { id: 'base', phase: 'pre-dose' }), reading(60)] },
      { bloodPressure: expect.objectContaining({ at40Min: null }) },
    ],
  ])('%s', (_name, records, expected) => {
    expect(form(records)).toMatchObject(expected);
  });

  it('lists the adverse events by onset, each in its latest state', () => {
    const onsetAt = at(20);
    const adverseEvents = [
      { kind: 'headache', severity: 'mild', onsetAt, actionTaken: 'rest', outcome: 'resolved', resolvedAt: at(40), remsReportable: false },
      {
        kind: 'sedation',
        severity: 'mild',
        onsetAt: at(10),
        actionTaken: 'observed',
        outcome: 'ongoing',
        resolvedAt: null,
        remsReportable: true,
      },
    ] as RemsFormRecords['adverseEvents'];
    expect(form({ adverseEvents }).adverseEvents).toEqual([
      { ...adverseEvents[1], onsetAt: at(10).toISOString(), resolvedAt: null },
      { ...adverseEvents[0], onsetAt: onsetAt.toISOString(), resolvedAt: at(40).toISOString() },
    ]);
  });
});
