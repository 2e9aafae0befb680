import { AuditEvent } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { fhirErrors } from './support/fhir-validate.js';
import { ADDRESS, ok, product, receive, registration } from './support/ledger.js';
import { nextTuesday, randomEui64 } from './support/route-fixtures.js';
import { consentedPatient, sessionAt, vitals } from './support/sessions.js';

/*
 * The FHIR resources beyond Patient and vital signs, as a client reads them: a patient's session
 * (Encounter at its chair), the dose drawn from a ledger vial (MedicationAdministration with the
 * package NDC), the signature (Consent), the booking (Appointment), the open alert (Flag), the
 * weight and assessment scores (Observations), the monitor, chair and staff (Device, Location,
 * Practitioner). Every resource validated by @medplum/core and FHIR.js; every read audited; another
 * clinic's records 404; the API is read-only (405).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FHIR = '/fhir/R4';
const api = '/api/v1';

describe('FHIR R4 API: sessions, doses, consents, bookings, alerts, scores and the clinic’s directory', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let patientId: string;
  let sessionId: string;
  let chairId: string;
  let monitorId: string;
  let appointmentId: string;
  let ndc: string;
  let bSessionId: string;

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    chairId = (await post('/chairs', a.token.admin, { name: 'Chair 7' }).expect(201)).body.id;
    monitorId = (await post('/monitors', a.token.admin, { name: 'Bay 7', chairId, eui64: randomEui64() }).expect(201)).body.id;
    patientId = await consentedPatient(t.http, a, { address: ADDRESS });
    appointmentId = (
      await post('/appointments', a.token.admin, {
        patientId,
        chairId,
        protocol: 'ketamine-iv-standard',
        startsAt: nextTuesday(a.clinic.timeZone).startsAt,
      }).expect(201)
    ).body.id;
    // A dose drawn from a received 50 mg/mL vial: the ledger knows its package NDC.
    const reg = (await registration(t.http, a)).id;
    const vial = await product(t.http, a, { mgPerMl: 50 });
    const [containerId] = await receive(t.http, a, reg, vial);
    ndc = (await t.runtime.dataSource.query<Array<{ ndc: string }>>('SELECT ndc FROM cs_containers WHERE id = $1', [containerId]))[0].ndc;
    sessionId = await sessionAt(t.http, a, 'ready', { patientId, chairId });
    await ok(post(`/sessions/${sessionId}/start`, a.token.nurse, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, containerId }), 200, 'start');
    await post(`/sessions/${sessionId}/vitals`, a.token.nurse, vitals({ systolic: 200, diastolic: 110 })).expect(201);
    await post(`/patients/${patientId}/assessments`, a.token.nurse, {
      instrument: 'PHQ9',
      items: [2, 2, 1, 1, 1, 1, 1, 1, 0],
      administeredAt: new Date().toISOString(),
    }).expect(201);
    await post(`/patients/${patientId}/assessments`, a.token.nurse, {
      instrument: 'GAD7',
      items: [1, 1, 1, 1, 1, 0, 0],
      administeredAt: new Date().toISOString(),
    }).expect(201);
    await post(`/sessions/${sessionId}/end-dosing`, a.token.nurse, { reason: 'nausea; stopped early' }).expect(200);
    await post(`/sessions/${sessionId}/observation-checks`, a.token.nurse, { dissociation: 'present', cadss6Total: 7 }).expect(201);
    bSessionId = await sessionAt(t.http, b, 'checked_in');
  }, 120_000);
  afterAll(() => t.close());

  const get = (path: string, token: string) => t.http.get(`${FHIR}${path}`).set(bearer(token));
  const bundleOf = async (path: string, token = a.token.nurse) => {
    const res = await get(path, token).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(res.text) as Json;
    expect(fhirErrors(bundle as never)).toEqual([]);
    for (const e of bundle.entry ?? [])
      expect({ id: e.resource.id, errors: fhirErrors(e.resource) }).toEqual({ id: e.resource.id, errors: [] });
    return { bundle, requestId: res.headers['x-request-id'] };
  };
  const auditOf = (requestId: string) => t.runtime.dataSource.getRepository(AuditEvent).findBy({ requestId });
  const resources = (bundle: Json, mode = 'match') =>
    ((bundle.entry ?? []) as Json[]).filter((e) => e.search.mode === mode).map((e) => e.resource);

  it.each([
    ['Encounter', 'encounter', 'session', () => `patient=${patientId}`, 'nurse'],
    [
      'MedicationAdministration',
      'medication-administration',
      'dose-administration',
      () => `patient=Patient/${patientId}`,
      'anesthesiologist',
    ],
    ['Consent', 'consent', 'consent', () => `patient=${patientId}`, 'admin'],
    ['Appointment', 'appointment', 'appointment', () => `patient=${patientId}`, 'admin'],
    ['Flag', 'flag', 'alert', () => `patient=${patientId}`, 'nurse'],
    ['Device', 'device', 'monitor', () => `_id=${monitorId}`, 'nurse'],
    ['Location', 'location', 'chair', () => `_id=${chairId}`, 'admin'],
    ['Practitioner', 'practitioner', 'user', () => `_id=${a.nurse.id}`, 'admin'],
  ] as const)(
    '%s: search and read answer valid resources of the clinic, each read audited',
    async (type, action, vigilType, query, role) => {
      const token = a.token[role];
      const { bundle, requestId } = await bundleOf(`/${type}?${query()}`, token);
      expect(bundle.total).toBeGreaterThanOrEqual(1);
      const [first] = resources(bundle);
      expect(first.resourceType).toBe(type);
      const searched = await auditOf(requestId);
      expect(searched).toEqual([expect.objectContaining({ action: `fhir.${action}.search` })]);
      expect(searched[0].resourceType).toBe(query().startsWith('patient') ? 'patient' : vigilType);
      const read = await get(`/${type}/${first.id}`, token).expect(200);
      expect(JSON.parse(read.text)).toEqual(first);
      expect(await auditOf(read.headers['x-request-id'])).toEqual([
        expect.objectContaining({ action: `fhir.${action}.read`, resourceType: vigilType, resourceId: first.id }),
      ]);
      // Another clinic's user: the record is 404 and the search finds nothing.
      const other = await get(`/${type}/${first.id}`, b.token[role]).expect(404);
      expect(JSON.parse(other.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
      expect((await bundleOf(`/${type}?${query()}`, b.token[role])).bundle.total).toBe(0);
    },
  );

  it('the session is an in-progress Encounter at its chair, found by patient and date; the dose names its ledger package', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const [encounter] = resources((await bundleOf(`/Encounter?patient=${patientId}&date=ge${today}T00:00:00Z`)).bundle);
    expect(encounter).toMatchObject({
      id: sessionId,
      status: 'in-progress',
      class: { code: 'AMB' },
      location: [{ location: { reference: `Location/${chairId}`, display: 'Chair 7' } }],
    });
    expect((await bundleOf(`/Encounter?patient=${patientId}&date=lt2020-01-01`)).bundle.total).toBe(0);
    const [dose] = resources((await bundleOf(`/MedicationAdministration?patient=${patientId}`)).bundle);
    expect(dose).toMatchObject({ status: 'completed', context: { reference: `Encounter/${sessionId}` } });
    expect(dose.contained[0].code.coding[0]).toEqual({ system: 'http://hl7.org/fhir/sid/ndc', code: ndc });
    const bookings = resources(
      (await bundleOf(`/Appointment?patient=${patientId}&date=${nextTuesday(a.clinic.timeZone).day}`, a.token.admin)).bundle,
    );
    expect(bookings.map((x) => x.id)).toEqual([appointmentId]);
  });

  it('Observations: the weight, PHQ-9, GAD-7, MOAA/S and CADSS-6 by category and code, with the patient included once', async () => {
    const codes = (bundle: Json) => resources(bundle).map((o) => o.code.coding[0].code as string);
    const survey = (await bundleOf(`/Observation?patient=${patientId}&category=survey&_count=200`)).bundle;
    expect(new Set(codes(survey))).toEqual(new Set(['44261-6', '70274-6', 'MOAAS', 'CADSS6']));
    const weight = (await bundleOf(`/Observation?patient=${patientId}&code=http://loinc.org|29463-7`)).bundle;
    expect(resources(weight)).toEqual([expect.objectContaining({ valueQuantity: expect.objectContaining({ value: 70, code: 'kg' }) })]);
    const vitalSigns = (await bundleOf(`/Observation?patient=${patientId}&category=vital-signs&_count=200`)).bundle;
    expect(codes(vitalSigns)).toContain('29463-7');
    const { bundle } = await bundleOf(`/Observation?patient=${patientId}&_include=Observation:patient&_count=200`);
    expect(resources(bundle, 'include').map((p) => p.id)).toEqual([patientId]);
    expect(bundle.link[0].url).toContain('_include=Observation%3Apatient');
    const device = resources(bundle).find((o) => o.device);
    expect(device?.device.reference ?? null).toBeNull(); // hand-charted readings name no monitor
  });

  it('another clinic’s session is 404 for every resource that reads it', async () => {
    await get(`/Encounter/${bSessionId}`, a.token.nurse).expect(404);
    await get(`/Encounter/not-a-uuid`, a.token.nurse).expect(404);
  });

  it.each([
    ['an administrator reading sessions', '/Encounter', 'admin', 403, 'forbidden'],
    ['an unsupported _sort', '/Encounter?_sort=date', 'nurse', 422, 'business-rule'],
    ['an _include Vigil does not offer', '/Observation?_include=Observation:performer', 'nurse', 422, 'business-rule'],
    ['a malformed _include', '/Observation?_include=patient', 'nurse', 400, 'invalid'],
  ] as const)('%s: %s answers %s', async (_label, path, role, status, code) => {
    const res = await get(path, a.token[role]).expect(status);
    const outcome = JSON.parse(res.text) as Json;
    expect(fhirErrors(outcome as never)).toEqual([]);
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [expect.objectContaining({ code })] });
  });

  it.each([
    ['POST a resource', 'post', '/Patient'],
    ['POST a transaction', 'post', ''],
    ['PUT', 'put', `/Patient/00000000-0000-4000-8000-000000000000`],
    ['PATCH', 'patch', `/Observation/00000000-0000-4000-8000-000000000000-hr`],
    ['DELETE', 'delete', `/Encounter/00000000-0000-4000-8000-000000000000`],
  ] as const)('the API is read-only: %s answers 405 with an OperationOutcome', async (_label, method, path) => {
    const res = await t.http[method](`${FHIR}${path}`)
      .set(bearer(a.token.admin))
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify({ resourceType: 'Patient' }))
      .expect(405);
    expect(res.headers['allow']).toBe('GET');
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] });
    await t.http[method](`${FHIR}${path}`).expect(401);
  });

  it('a monitor’s readings name its Device', async () => {
    const eui = (await t.runtime.dataSource.query<Array<{ eui64: string }>>('SELECT eui64 FROM monitors WHERE id = $1', [monitorId]))[0]
      .eui64;
    await t.runtime.dataSource.query(
      `INSERT INTO vital_readings (clinic_id, session_id, measured_at, source, device_id, phase, heart_rate)
       VALUES ($1, $2, now(), 'device', $3, 'observation', 77)`,
      [a.clinic.id, sessionId, eui],
    );
    const [hr] = resources((await bundleOf(`/Observation?patient=${patientId}&code=urn:iso:std:iso:11073:10101|147842`)).bundle);
    expect(hr.device).toMatchObject({ reference: `Device/${monitorId}`, identifier: { value: eui } });
  });

  it('the patient of another clinic is not a patient one can search observations of', async () => {
    const other = await createPatient(t.http, b.token.nurse);
    expect((await bundleOf(`/Observation?patient=${other.id}`)).bundle.total).toBe(0);
  });
});
