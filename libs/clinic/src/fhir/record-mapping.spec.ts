import { fhirErrors } from '#test/fhir-validate';
import { APPOINTMENT_STATUSES } from '../scheduling/index.js';
import { SESSION_STATUSES } from '../sessions/index.js';
import { APPOINTMENT_STATUS, toAppointment, type AppointmentRow } from './appointment-resource.js';
import { toConsent, type ConsentRow } from './consent-resource.js';
import { ENCOUNTER_STATUS, toEncounter, type EncounterRow } from './encounter-resource.js';
import { toFlag, type FlagRow } from './flag-resource.js';
import { toMedicationAdministration, type DoseRow } from './medication-administration-resource.js';

/*
 * Sessions, doses, signatures, bookings and open alerts as FHIR resources, for every state each can
 * be in, validated by @medplum/core (base R4) and FHIR.js (required code bindings).
 */

const CLINIC = '3b1f0c2e-8d4a-4c6b-9e1f-2a3b4c5d6e7f';
const PATIENT = '7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60';
const ROW = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const SESSION = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const CHAIR = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const NURSE = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const t = (hhmm: string) => new Date(`2026-11-29T${hhmm}:00.000Z`);
type Resource = Record<string, unknown> & { resourceType: string };
const valid = (r: Resource) => expect({ id: r.id, errors: fhirErrors(r) }).toEqual({ id: r.id, errors: [] });

describe('FHIR Encounter from a session', () => {
  const session = (status: string, extra: Partial<EncounterRow> = {}): EncounterRow => ({
    id: SESSION,
    patientId: PATIENT,
    status,
    protocolKey: 'ketamine-iv-0.5',
    appointmentId: null,
    chairId: null,
    chairLabel: null,
    nurseUserId: null,
    anesthesiologistUserId: null,
    checkedInAt: null,
    endedAt: null,
    updatedAt: t('19:00'),
    version: 1,
    ...extra,
  });
  const inClinic = { chairId: CHAIR, chairLabel: 'Chair 3', nurseUserId: NURSE, anesthesiologistUserId: NURSE, checkedInAt: t('14:00') };

  it.each(SESSION_STATUSES.map((s) => [s, ENCOUNTER_STATUS[s]]))('a session %s is a valid Encounter %s', (status, expected) => {
    const before = status === 'scheduled' || status === 'no_show' || status === 'cancelled';
    const row = session(
      status,
      before
        ? { endedAt: status === 'scheduled' ? null : t('15:00') }
        : { ...inClinic, endedAt: status === 'discharged' ? t('16:00') : null },
    );
    const e = toEncounter(row);
    valid(e);
    expect(e).toMatchObject({ status: expected, class: { code: 'AMB' }, subject: { reference: `Patient/${PATIENT}` } });
  });

  it('period from check-in to discharge; the chair is the location; nurse and anesthesiologist take part', () => {
    const e = toEncounter(session('discharged', { ...inClinic, endedAt: t('16:00'), appointmentId: ROW }));
    expect(e).toMatchObject({
      period: { start: '2026-11-29T14:00:00.000Z', end: '2026-11-29T16:00:00.000Z' },
      location: [{ location: { reference: `Location/${CHAIR}`, display: 'Chair 3' }, status: 'completed' }],
      appointment: [{ reference: `Appointment/${ROW}` }],
    });
    expect((e.participant as unknown[]).length).toBe(2);
    expect(toEncounter(session('scheduled')).period).toBeUndefined();
  });
});

describe('FHIR MedicationAdministration from a dose', () => {
  const dose = (extra: Partial<DoseRow> = {}): DoseRow => ({
    id: ROW,
    patientId: PATIENT,
    sessionId: SESSION,
    drug: 'ketamine',
    route: 'iv',
    doseMg: 35,
    lotNumber: 'K1234',
    administeredBy: NURSE,
    administeredAt: t('14:00'),
    recordedAt: t('14:00'),
    sessionStatus: 'dosing',
    deliveredDoseMg: null,
    dosingEndedAt: null,
    rateMlPerH: 52.5,
    rateMgPerH: 52.5,
    aborted: false,
    ndc: null,
    productName: null,
    expiresOn: null,
    ...extra,
  });
  const ended = { dosingEndedAt: t('14:40'), deliveredDoseMg: 34.6 };
  const CASES: Array<[string, DoseRow, string]> = [
    ['dosing, typed lot (RxNorm only)', dose(), 'in-progress'],
    ['paused', dose({ sessionStatus: 'paused' }), 'on-hold'],
    [
      'ended, in observation, drawn from the ledger (NDC)',
      dose({
        ...ended,
        sessionStatus: 'observation',
        ndc: '42023-113-10',
        productName: 'Ketamine HCl 50 mg/mL, 10 mL vial',
        expiresOn: '2027-08-31',
      }),
      'completed',
    ],
    ['discharged', dose({ ...ended, sessionStatus: 'discharged' }), 'completed'],
    ['aborted', dose({ ...ended, sessionStatus: 'aborted', aborted: true }), 'stopped'],
    ['aborted, then discharged', dose({ ...ended, sessionStatus: 'discharged', aborted: true }), 'stopped'],
    [
      'esketamine, intranasal, no pump rate',
      dose({ drug: 'esketamine', route: 'intranasal', doseMg: 56, rateMlPerH: null, rateMgPerH: null }),
      'in-progress',
    ],
    ['intramuscular', dose({ route: 'im', rateMlPerH: null, rateMgPerH: null, ...ended, sessionStatus: 'observation' }), 'completed'],
  ];

  it.each(CASES)('%s: a valid MedicationAdministration, %s', (_label, row, status) => {
    const m = toMedicationAdministration(row);
    valid(m);
    expect(m).toMatchObject({
      status,
      subject: { reference: `Patient/${PATIENT}` },
      context: { reference: `Encounter/${SESSION}` },
      performer: [{ actor: { reference: `Practitioner/${NURSE}` } }],
      medicationReference: { reference: '#medication' },
      contained: [{ resourceType: 'Medication', batch: { lotNumber: 'K1234' } }],
    });
  });

  it('the medication by NDC when the ledger knows the package, RxNorm always; route, delivered dose and rate', () => {
    const m = toMedicationAdministration(
      dose({ ...ended, sessionStatus: 'observation', ndc: '42023-113-10', productName: 'Ketamine 500 mg/10 mL' }),
    );
    const medication = (m.contained as Resource[])[0];
    expect((medication.code as { coding: unknown[] }).coding).toEqual([
      { system: 'http://hl7.org/fhir/sid/ndc', code: '42023-113-10' },
      { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6130', display: 'ketamine' },
    ]);
    expect(m.dosage).toMatchObject({
      route: { coding: [{ system: 'http://snomed.info/sct', code: '47625008' }] },
      dose: { value: 34.6, code: 'mg' },
      rateQuantity: { value: 52.5, code: 'mL/h' },
    });
    expect(m.effectivePeriod).toEqual({ start: '2026-11-29T14:00:00.000Z', end: '2026-11-29T14:40:00.000Z' });
    const nasal = toMedicationAdministration(dose({ drug: 'esketamine', route: 'intranasal' }));
    expect((nasal.dosage as { route: unknown }).route).toEqual({
      coding: [{ system: 'http://snomed.info/sct', code: '46713006', display: 'Nasal route' }],
    });
  });
});

describe('FHIR Consent from a signature', () => {
  const signature = (status: ConsentRow['status'], extra: Partial<ConsentRow> = {}): ConsentRow => ({
    id: ROW,
    clinicId: CLINIC,
    patientId: PATIENT,
    kind: 'ketamine-off-label',
    formVersion: 3,
    formTitle: 'Off-label ketamine treatment consent',
    signedByName: 'Ana Souza',
    signedAt: t('13:00'),
    method: 'in-person',
    prescriberUserId: null,
    expiresAt: new Date('2027-11-29T13:00:00.000Z'),
    withdrawnAt: null,
    createdAt: t('13:00'),
    status,
    ...extra,
  });
  it.each([
    ['active', signature('active'), 'active'],
    ['expired', signature('expired'), 'inactive'],
    ['withdrawn', signature('withdrawn', { withdrawnAt: t('18:00') }), 'inactive'],
    ['superseded', signature('superseded'), 'inactive'],
    [
      'a REMS enrollment the prescriber signed too',
      signature('active', { kind: 'esketamine-rems-enrollment', prescriberUserId: NURSE }),
      'active',
    ],
  ])('%s: a valid treatment Consent, status %s', (_label, row, status) => {
    const c = toConsent(row);
    valid(c);
    expect(c).toMatchObject({
      status,
      scope: { coding: [{ code: 'treatment' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${PATIENT}` },
      policy: [{ uri: `urn:vigil:clinic:${CLINIC}:consent-form:${row.kind}:3` }],
    });
  });
  it('the validators used here refuse a Consent without a policy (ppc-1) and one whose status is outside its value set', () => {
    const c = toConsent(signature('active'));
    const { policy: _policy, policyRule: _rule, ...unpolicied } = c;
    expect(fhirErrors(unpolicied as Resource).join('\n')).toMatch(/ppc-1|policy/i);
    expect(fhirErrors({ ...c, status: 'withdrawn' }).join('\n')).toMatch(/fhir\.js/);
  });

  it('a withdrawal ends the provision when it was withdrawn', () =>
    expect(toConsent(signature('withdrawn', { withdrawnAt: t('18:00') })).provision).toEqual({
      type: 'permit',
      period: { start: '2026-11-29T13:00:00.000Z', end: '2026-11-29T18:00:00.000Z' },
    }));
});

describe('FHIR Appointment from a booking, Flag from an open alert', () => {
  const booking = (status: string): AppointmentRow => ({
    id: ROW,
    patientId: PATIENT,
    chairId: CHAIR,
    chairName: 'Chair 3',
    protocolKey: 'ketamine-iv-0.5',
    startsAt: t('14:00'),
    endsAt: t('16:00'),
    status,
    sessionId: null,
    cancelReason: status === 'cancelled' ? 'patient unwell' : null,
    createdAt: t('09:00'),
    updatedAt: t('09:00'),
  });
  it.each(APPOINTMENT_STATUSES.map((s) => [s, APPOINTMENT_STATUS[s]]))('a booking %s is a valid Appointment %s', (status, expected) => {
    const a = toAppointment(booking(status));
    valid(a);
    expect(a).toMatchObject({
      status: expected,
      start: '2026-11-29T14:00:00.000Z',
      participant: [{ actor: { reference: `Patient/${PATIENT}` } }, { actor: { reference: `Location/${CHAIR}` } }],
    });
  });

  const alert = (extra: Partial<FlagRow> = {}): FlagRow => ({
    id: ROW,
    patientId: PATIENT,
    sessionId: SESSION,
    measure: 'blood-pressure',
    level: 'critical',
    status: 'open',
    message: 'BP 182/104 above the critical threshold',
    openedAt: t('14:20'),
    acknowledgedAt: null,
    ...extra,
  });
  it.each([
    ['open critical', alert()],
    ['acknowledged warning', alert({ level: 'warning', status: 'acknowledged', acknowledgedAt: t('14:22') })],
    ['vitals overdue', alert({ measure: 'vitals-overdue', level: 'warning' })],
  ])('%s alert: a valid active Flag on the patient, in the session', (_label, row) => {
    const f = toFlag(row);
    valid(f);
    expect(f).toMatchObject({
      status: 'active',
      code: { coding: [{ system: 'urn:vigil:alert-measure', code: row.measure }], text: row.message },
      subject: { reference: `Patient/${PATIENT}` },
      encounter: { reference: `Encounter/${SESSION}` },
    });
  });
});
