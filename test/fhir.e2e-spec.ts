import type { AddressInfo } from 'node:net';
import { MedplumClient } from '@medplum/core';
import { Client } from 'fhir-kit-client';
import { mrnSystem, VitalReading } from '../libs/clinic/src/index.js';
import { AuditEvent } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { fhirErrors } from './support/fhir-validate.js';
import { consentedPatient, sessionAt } from './support/sessions.js';

/*
 * The FHIR R4 API as EHRs and analytics see it: every resource validated by @medplum/core and
 * FHIR.js, errors as OperationOutcome, the same roles and clinic scoping as the REST API, reads
 * audited, and fhir-kit-client (a FHIR client nobody on Vigil wrote) paging to the end while
 * readings keep arriving.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FHIR = '/fhir/R4';
const BASE_TIME = Date.parse('2026-11-29T19:00:00.000Z');

describe('FHIR R4 API', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let patientId: string;
  let mrn: string;
  let sessionId: string;
  let otherPatientId: string;
  let baseUrl: string;

  /** `count` monitor readings, one a minute from `startMin` after BASE_TIME, in patient's session. */
  async function insertReadings(startMin: number, count: number): Promise<void> {
    const rows = Array.from({ length: count }, (_, i) => ({
      clinicId: a.clinic.id,
      sessionId,
      measuredAt: new Date(BASE_TIME + (startMin + i) * 60_000),
      source: 'device' as const,
      deviceId: '0009FBFFFE4A1C20',
      phase: 'dosing' as const,
      systolic: 120 + (i % 10),
      diastolic: 75,
      heartRate: 70 + (i % 5),
      spo2: 97,
      respiratoryRate: 14,
      temperatureC: 36.7,
      recordedBy: a.nurse.id,
    }));
    await t.runtime.dataSource.getRepository(VitalReading).insert(rows);
  }

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}${FHIR}`;
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    patientId = await consentedPatient(t.http, a);
    mrn = ((await t.http.get(`/api/v1/patients/${patientId}`).set(bearer(a.token.nurse))).body as { mrn: string }).mrn;
    sessionId = await sessionAt(t.http, a, 'dosing', { patientId });
    otherPatientId = (await createPatient(t.http, b.token.nurse)).id;
    await insertReadings(0, 250);
  }, 120_000);
  afterAll(() => t.close());

  const get = (path: string, token?: string) => {
    const req = t.http.get(`${FHIR}${path}`);
    return token ? req.set(bearer(token)) : req;
  };
  const rowsOf = (requestId: string) => t.runtime.dataSource.getRepository(AuditEvent).findBy({ requestId });

  it('metadata: a valid CapabilityStatement listing what is implemented, as application/fhir+json, without a token', async () => {
    const res = await get('/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const cs = JSON.parse(res.text) as Json;
    expect(fhirErrors(cs as never)).toEqual([]);
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const resources = cs.rest[0].resource as Json[];
    expect(resources.map((r) => r.type)).toEqual([
      'Patient',
      'Observation',
      'Encounter',
      'MedicationAdministration',
      'Consent',
      'Appointment',
      'Flag',
      'Device',
      'Location',
      'Practitioner',
    ]);
    expect(resources[1].searchParam.map((p: Json) => p.name)).toEqual(['_id', 'patient', 'subject', 'category', 'code', 'date']);
    expect(resources[1].searchInclude).toEqual(['Observation:patient', 'Observation:subject']);
    expect(resources[2].searchParam.map((p: Json) => p.name)).toEqual(['_id', 'patient', 'subject', 'date']);
    for (const r of resources) expect(r.interaction).toEqual([{ code: 'read' }, { code: 'search-type' }]);
    await get('/metadata?_format=json').expect(200);
  });

  it.each([
    ['no token', '/Patient', undefined, 401, 'login'],
    ['an administrator reading vitals', '/Observation', 'admin', 403, 'forbidden'],
    ['another clinic’s patient', () => `/Patient/${otherPatientId}`, 'nurse', 404, 'not-found'],
    ['an unknown patient', '/Patient/00000000-0000-4000-8000-000000000000', 'nurse', 404, 'not-found'],
    ['an id Vigil never issues', '/Observation/not-a-reading', 'nurse', 404, 'not-found'],
    ['a resource type Vigil does not serve', '/Medication', 'nurse', 404, 'not-found'],
    ['XML asked for', '/Patient?_format=xml', 'nurse', 406, 'not-supported'],
    ['a bad _count', '/Observation?_count=ten', 'nurse', 400, 'invalid'],
    ['a malformed date', '/Observation?date=ge2026-13-01', 'nurse', 400, 'invalid'],
    ['an unsupported date prefix', '/Observation?date=ap2026-11-29', 'nurse', 400, 'invalid'],
    ['a cursor Vigil did not issue', '/Observation?_cursor=abc', 'nurse', 400, 'invalid'],
  ] as const)('%s: %s answers %s with an OperationOutcome', async (_label, path, role, status, code) => {
    const res = await get(typeof path === 'function' ? path() : path, role && a.token[role]).expect(status);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const outcome = JSON.parse(res.text) as Json;
    expect(fhirErrors(outcome as never)).toEqual([]);
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [expect.objectContaining({ severity: 'error', code })] });
  });

  it('a 400 names the parameter', async () => {
    const res = await get('/Observation?_count=0', a.token.nurse).expect(400);
    expect((JSON.parse(res.text) as Json).issue[0].diagnostics).toMatch(/^_count: /);
  });

  it('Patient read: a valid US Core Patient with the MRN in the clinic system, audited like the REST read', async () => {
    const res = await get(`/Patient/${patientId}`, a.token.admin).expect(200);
    const patient = JSON.parse(res.text) as Json;
    expect(fhirErrors(patient as never)).toEqual([]);
    expect(patient.identifier[0]).toMatchObject({ system: mrnSystem(a.clinic.id), value: mrn });
    expect(await rowsOf(res.headers['x-request-id'])).toEqual([
      expect.objectContaining({ action: 'patient.read', resourceType: 'patient', resourceId: patientId, actorUserId: a.admin.id }),
    ]);
  });

  it.each([
    ['identifier with the clinic system', () => `identifier=${encodeURIComponent(`${mrnSystem(a.clinic.id)}|${mrn}`)}`, 1],
    ['identifier value alone', () => `identifier=${encodeURIComponent(mrn)}`, 1],
    ['identifier in another clinic’s system', () => `identifier=${encodeURIComponent(`${mrnSystem(b.clinic.id)}|${mrn}`)}`, 0],
    ['_id', () => `_id=${patientId}`, 1],
    ['_id of another clinic’s patient', () => `_id=${otherPatientId}`, 0],
    ['name, start of the family name, any case', () => `_id=${patientId}&name=SOU`, 1],
    ['name that starts no word of the name', () => `_id=${patientId}&name=ouza`, 0],
    ['birthdate', () => `_id=${patientId}&birthdate=1984-05-17`, 1],
    ['birthdate after it', () => `_id=${patientId}&birthdate=gt1984-05-17`, 0],
  ])('Patient search by %s', async (_label, query, total) => {
    const res = await get(`/Patient?${query()}`, a.token.nurse).expect(200);
    const bundle = JSON.parse(res.text) as Json;
    expect(fhirErrors(bundle as never)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total });
    expect(bundle.entry ?? []).toHaveLength(total);
    for (const e of bundle.entry ?? []) expect(fhirErrors(e.resource)).toEqual([]);
  });

  it('Observation search: patient, vital-signs, a date range; every resource valid, the read audited as that patient’s', async () => {
    const q = `patient=Patient/${patientId}&category=vital-signs&date=ge2026-11-29T19:30:00%2B00:00&date=lt2026-11-29T14:40:00-05:00`;
    const res = await get(`/Observation?${q}&_count=200`, a.token.nurse).expect(200);
    const bundle = JSON.parse(res.text) as Json;
    // 10 readings (19:30–19:39 UTC), 5 measures each.
    expect(bundle.total).toBe(50);
    expect(bundle.entry).toHaveLength(50);
    for (const e of bundle.entry) expect({ id: e.resource.id, errors: fhirErrors(e.resource) }).toEqual({ id: e.resource.id, errors: [] });
    expect(await rowsOf(res.headers['x-request-id'])).toEqual([
      expect.objectContaining({
        action: 'fhir.observation.search',
        resourceType: 'patient',
        resourceId: patientId,
        actorUserId: a.nurse.id,
      }),
    ]);
    const read = await get(`/Observation/${bundle.entry[0].resource.id}`, a.token.anesthesiologist).expect(200);
    expect(JSON.parse(read.text)).toEqual(bundle.entry[0].resource);
  });

  it('the same instant with +00:00 (encoded %2B) and -05:00 selects the same readings; a raw + is read as one', async () => {
    const ids = async (date: string) =>
      (
        (
          JSON.parse(
            (
              await get(
                `/Observation?patient=${patientId}&code=8867-4&date=${date}&date=lt2026-11-29T23:10:00Z&_count=200`,
                a.token.nurse,
              ).expect(200)
            ).text,
          ) as Json
        ).entry as Json[]
      ).map((e) => e.resource.id as string);
    const utc = await ids('ge2026-11-29T23:00:00%2B00:00');
    expect(utc).toHaveLength(10); // 23:00–23:09 UTC (the session's own baseline is today's)
    expect(await ids('ge2026-11-29T18:00:00-05:00')).toEqual(utc);
    expect(await ids('ge2026-11-30T04:00:00+05:00')).toEqual(utc);
  });

  it('code searches LOINC and MDC codes; another clinic sees none of the patient’s readings', async () => {
    const total = async (query: string, token = a.token.nurse) =>
      (JSON.parse((await get(`/Observation?${query}`, token).expect(200)).text) as Json).total as number;
    expect(await total(`patient=${patientId}&code=http://loinc.org|85354-9`)).toBeGreaterThanOrEqual(250);
    expect(await total(`patient=${patientId}&code=urn:iso:std:iso:11073:10101|150456`)).toBe(250);
    expect(await total(`patient=${patientId}&code=http://loinc.org|0000-0`)).toBe(0);
    // The session's baseline reading charted a MOAA/S: the one survey Observation.
    expect(await total(`patient=${patientId}&category=survey`)).toBe(1);
    expect(await total(`patient=${patientId}&category=survey&code=8867-4`)).toBe(0);
    expect(await total(`patient=${patientId}`, b.token.nurse)).toBe(0);
  });

  it('_sort=-date pages newest first, and its next link keeps the order', async () => {
    const when = (b: Json) => (b.entry as Json[]).map((e) => Date.parse(e.resource.effectiveDateTime as string));
    const first = JSON.parse(
      (
        await get(`/Observation?patient=${patientId}&code=8867-4&date=lt2026-11-29T23:10:00Z&_sort=-date&_count=5`, a.token.nurse).expect(
          200,
        )
      ).text,
    ) as Json;
    const next = new URL((first.link as Json[]).find((l) => l.relation === 'next')?.url as string);
    const second = JSON.parse((await get(`/Observation${next.search}`, a.token.nurse).expect(200)).text) as Json;
    const times = [...when(first), ...when(second)];
    expect(times).toHaveLength(10);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(new Date(times[0]).toISOString()).toBe('2026-11-29T23:09:00.000Z');
  });

  it('unknown parameters are ignored and left out of the self link, and refused with Prefer: handling=strict', async () => {
    const res = await get(`/Patient?_id=${patientId}&colour=blue`, a.token.nurse).expect(200);
    const self = ((JSON.parse(res.text) as Json).link as Json[]).find((l) => l.relation === 'self')?.url as string;
    expect(self).toContain(`_id=${patientId}`);
    expect(self).not.toContain('colour');
    const strict = await get(`/Patient?_id=${patientId}&colour=blue`, a.token.nurse).set('Prefer', 'handling=strict').expect(400);
    expect((JSON.parse(strict.text) as Json).issue[0].diagnostics).toMatch(/^colour: /);
  });

  it('fhir-kit-client pages 250 heart rates with _count=50 to the end, each once, while 10 more arrive; another clinic’s patient is 404', async () => {
    const client = new Client({ baseUrl, bearerToken: a.token.nurse });
    const meta = (await client.capabilityStatement()) as Json;
    expect(meta.fhirVersion).toBe('4.0.1');
    const seen: string[] = [];
    let bundle = (await client.search({
      resourceType: 'Observation',
      searchParams: {
        patient: patientId,
        code: 'http://loinc.org|8867-4',
        date: ['ge2026-11-29T19:00:00+00:00', 'lt2026-11-30'],
        _count: 50,
      },
    })) as Json;
    let pages = 0;
    for (;;) {
      pages += 1;
      seen.push(...(bundle.entry ?? []).map((e: Json) => e.resource.id as string));
      if (pages === 2) await insertReadings(250, 10);
      const next = client.nextPage({ bundle: bundle as never });
      if (!next) break;
      bundle = await next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(260);
    expect(pages).toBe(6);
    const error = (await client.read({ resourceType: 'Patient', id: otherPatientId }).catch((e: unknown) => e)) as Json;
    expect(error.response.status).toBe(404);
    expect(error.response.data).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });
  it('MedplumClient pages the respiratory rates with _count=50 to the end, each once, while 10 more arrive; another clinic’s patient is 404', async () => {
    const medplum = new MedplumClient({
      baseUrl: baseUrl.replace(/fhir\/R4$/, ''),
      fhirUrlPath: 'fhir/R4',
      fetch: (url, init) => fetch(url, init),
    });
    medplum.setAccessToken(a.token.nurse);
    const query = new URLSearchParams([
      ['patient', patientId],
      ['code', 'http://loinc.org|9279-1'],
      ['date', 'ge2026-11-29T14:00:00-05:00'],
      ['_count', '50'],
    ]);
    const seen: string[] = [];
    let pages = 0;
    let first = 0;
    for await (const page of medplum.searchResourcePages('Observation', query)) {
      pages += 1;
      if (pages === 1) first = (page.bundle.total as number) ?? 0;
      seen.push(...page.map((r) => r.id as string));
      if (pages === 2) await insertReadings(400, 10);
    }
    expect(first).toBeGreaterThanOrEqual(250);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(first + 10);
    expect(pages).toBe(Math.ceil((first + 10) / 50));
    const error = (await medplum.readResource('Patient', otherPatientId).catch((e: unknown) => e)) as Json;
    expect(error.outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });
});
