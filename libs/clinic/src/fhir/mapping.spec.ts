import { fhirErrors } from '#test/fhir-validate';
import { mrnSystem } from './codes.js';
import { toFhirPatient, type PatientRow } from './patient-resource.js';
import { parseObservationId } from './observation-kinds.js';
import { observationsOf, type VitalRow } from './vital-observations.js';

/*
 * Every kind of row Vigil stores, mapped to FHIR and checked by two validators nobody on Vigil
 * wrote (@medplum/core against base R4 and each declared profile; FHIR.js for required codes).
 */

const CLINIC = '3b1f0c2e-8d4a-4c6b-9e1f-2a3b4c5d6e7f';
const PATIENT = '7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60';
const READING = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';

const patientRow = (extra: Partial<PatientRow> = {}): PatientRow => ({
  id: PATIENT,
  clinicId: CLINIC,
  mrn: 'MRN004211',
  firstName: 'Ana',
  lastName: 'Souza',
  dateOfBirth: '1984-05-17',
  sex: 'female',
  phone: null,
  email: null,
  address: null,
  emergencyContactName: null,
  emergencyContactPhone: null,
  emergencyContactRelationship: null,
  updatedAt: new Date('2026-11-29T19:00:00.000Z'),
  version: 3,
  ...extra,
});

const reading = (extra: Partial<VitalRow> = {}): VitalRow => ({
  id: READING,
  clinicId: CLINIC,
  patientId: PATIENT,
  measuredAt: new Date('2026-11-29T19:28:12.000Z'),
  recordedAt: new Date('2026-11-29T19:28:13.250Z'),
  source: 'manual',
  deviceId: null,
  systolic: null,
  diastolic: null,
  heartRate: null,
  spo2: null,
  respiratoryRate: null,
  temperatureC: null,
  ...extra,
});

describe('FHIR Patient from a Vigil patient', () => {
  const CASES: Array<[string, PatientRow]> = [
    ['only what registration requires', patientRow()],
    [
      'phone, email, address and an emergency contact',
      patientRow({
        phone: '+1 555 0100',
        email: 'ana@example.org',
        address: '12 Elm St, Springfield',
        emergencyContactName: 'Rui Souza',
        emergencyContactPhone: '+1 555 0101',
        emergencyContactRelationship: 'spouse',
      }),
    ],
    ['a contact with a phone only, sex unknown', patientRow({ sex: 'unknown', emergencyContactPhone: '+1 555 0101' })],
    ['sex other', patientRow({ sex: 'other' })],
  ];

  it.each(CASES)('%s: valid US Core Patient with the MRN in the clinic system', (_label, row) => {
    const resource = toFhirPatient(row);
    expect(fhirErrors(resource)).toEqual([]);
    expect(resource).toMatchObject({
      id: PATIENT,
      identifier: [{ system: mrnSystem(CLINIC), value: 'MRN004211', type: { coding: [{ code: 'MR' }] } }],
      name: [{ family: 'Souza', given: ['Ana'] }],
      gender: row.sex,
      birthDate: '1984-05-17',
      meta: { versionId: '3' },
    });
  });

  it('the validators used here refuse a Patient US Core refuses (no identifier) and a gender outside the value set', () => {
    const resource = toFhirPatient(patientRow());
    expect(fhirErrors({ ...resource, identifier: undefined }).join('\n')).toMatch(/identifier/);
    expect(fhirErrors({ ...resource, gender: 'f' }).join('\n')).toMatch(/fhir\.js.*gender|gender.*fhir\.js|Patient\.gender/);
  });
});

describe('FHIR vital-sign Observations from a Vigil reading', () => {
  const full = { systolic: 124, diastolic: 78, heartRate: 72, spo2: 97, respiratoryRate: 14, temperatureC: 36.8 };
  const CASES: Array<[string, Partial<VitalRow>, string[]]> = [
    ['a nurse’s full reading', full, ['bp', 'hr', 'rr', 'spo2', 'temp']],
    ['a monitor’s full reading', { ...full, source: 'device', deviceId: '0009FBFFFE4A1C20' }, ['bp', 'hr', 'rr', 'spo2', 'temp']],
    ['blood pressure only', { systolic: 150, diastolic: 95 }, ['bp']],
    ['heart rate and SpO2 only', { heartRate: 58, spo2: 91 }, ['hr', 'spo2']],
    ['a temperature only', { temperatureC: 38.4 }, ['temp']],
    ['a systolic without its diastolic gives no blood pressure', { systolic: 120, heartRate: 80 }, ['hr']],
  ];

  it('a reading in a session names it as the encounter, its nurse as performer, its registered monitor as the Device', () => {
    const [hr] = observationsOf(
      reading({ heartRate: 72, source: 'device', deviceId: '0009FBFFFE4A1C20', sessionId: READING, monitorId: PATIENT, recordedBy: null }),
    );
    expect(fhirErrors(hr)).toEqual([]);
    expect(hr).toMatchObject({
      encounter: { reference: `Encounter/${READING}` },
      device: { reference: `Device/${PATIENT}`, identifier: { value: '0009FBFFFE4A1C20' } },
    });
    expect(hr.performer).toBeUndefined();
    const [manual] = observationsOf(reading({ heartRate: 72, recordedBy: PATIENT }));
    expect(manual.performer).toEqual([{ reference: `Practitioner/${PATIENT}` }]);
  });

  it.each(CASES)('%s: one valid Observation per measure', (_label, values, kinds) => {
    const observations = observationsOf(reading(values));
    expect(observations.map((o) => parseObservationId(o.id as string)?.kind)).toEqual(kinds);
    for (const o of observations) expect({ id: o.id, errors: fhirErrors(o) }).toEqual({ id: o.id, errors: [] });
  });

  const CODES: Array<[string, string[], Record<string, unknown>]> = [
    [
      'bp',
      ['85354-9'],
      { component: [{ valueQuantity: { value: 124, code: 'mm[Hg]' } }, { valueQuantity: { value: 78, code: 'mm[Hg]' } }] },
    ],
    ['hr', ['8867-4'], { valueQuantity: { value: 72, code: '/min' } }],
    ['rr', ['9279-1'], { valueQuantity: { value: 14, code: '/min' } }],
    ['spo2', ['2708-6', '59408-5'], { valueQuantity: { value: 97, code: '%' } }],
    ['temp', ['8310-5'], { valueQuantity: { value: 36.8, code: 'Cel' } }],
  ];
  it.each(CODES)('%s carries LOINC %p and its UCUM value; a monitor’s adds its MDC code', (kind, codes, value) => {
    const manual = observationsOf(reading(full)).find((o) => o.id === `${READING}-${kind}`);
    expect(manual).toMatchObject({ ...value, subject: { reference: `Patient/${PATIENT}` }, effectiveDateTime: '2026-11-29T19:28:12.000Z' });
    const codings = (o: typeof manual) => (o?.code as { coding: { system: string; code: string }[] }).coding;
    expect(codings(manual).map((c) => c.code)).toEqual(codes);
    const device = observationsOf(reading({ ...full, source: 'device', deviceId: 'M1' })).find((o) => o.id === `${READING}-${kind}`);
    expect(codings(device).map((c) => c.system)).toEqual([...codes.map(() => 'http://loinc.org'), 'urn:iso:std:iso:11073:10101']);
  });

  it('the validators used here refuse a blood pressure without its diastolic and a status outside the value set', () => {
    const [bp] = observationsOf(reading(full));
    const systolicOnly = { ...bp, component: (bp.component as unknown[]).slice(0, 1) };
    expect(fhirErrors(systolicOnly).join('\n')).toMatch(/component/);
    expect(fhirErrors({ ...bp, status: 'done' }).join('\n')).toMatch(/fhir\.js/);
  });

  it.each([['nonsense'], [`${READING}-bmi`], [`${READING}`], ['7F3C2A4E-5D1B-4E8A-9A51-1B2C3D4E5F60-bp-x']])(
    'an Observation id Vigil does not issue (%s) is not parsed',
    (id) => expect(parseObservationId(id)).toBeNull(),
  );
});
