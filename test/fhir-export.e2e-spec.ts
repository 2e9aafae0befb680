import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedplumClient } from '@medplum/core';
import { VitalReading } from '../libs/clinic/src/index.js';
import { AuditEvent } from '../libs/platform/src/index.js';
import { ownDatabase, startTestApp, testConfigEnv, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { fhirErrors } from './support/fhir-validate.js';
import { until } from './support/load.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { spawnWorker, type VigilProcess } from './support/processes.js';
import { consentedPatient, sessionAt } from './support/sessions.js';
import { testEnv } from './support/test-env.js';

/*
 * FHIR Bulk Data export as an analytics pipeline uses it: MedplumClient (a client nobody on Vigil
 * wrote) kicks off, polls and gets the manifest from a real worker process; every NDJSON line
 * validates and the counts are the database's; `_type` and `_since` are honoured; another clinic
 * sees nothing (404); DELETE cancels and removes the files.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FHIR = '/fhir/R4';
const BASE_TIME = Date.parse('2026-11-29T19:00:00.000Z');
const withRedis = testEnv.redisUrl() ? describe : describe.skip;

withRedis('FHIR Bulk Data $export', () => {
  let redis: PrivateRedis;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let dir: string;
  let t: TestApp;
  let worker: VigilProcess;
  let a: Staff;
  let b: Staff;
  let sessionId: string;
  let origin: string;

  async function insertReadings(startMin: number, count: number): Promise<void> {
    await t.runtime.dataSource.getRepository(VitalReading).insert(
      Array.from({ length: count }, (_, i) => ({
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
      })),
    );
  }

  const medplum = (token: string) => {
    const client = new MedplumClient({ baseUrl: `${origin}/`, fhirUrlPath: 'fhir/R4', fetch: (url, init) => fetch(url, init) });
    client.setAccessToken(token);
    return client;
  };

  /** What the read API says the clinic holds of `type` (its search total is a count in the database). */
  const served = async (type: string, token: string) =>
    (JSON.parse((await t.http.get(`${FHIR}/${type}?_count=1`).set(bearer(token)).expect(200)).text) as Json).total as number;

  const download = async (url: string, token: string): Promise<Json[]> => {
    const res = await fetch(url, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+ndjson/);
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    return text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await ownDatabase();
    dir = await mkdtemp(join(tmpdir(), 'vigil-export-'));
    const env = testConfigEnv({
      REDIS_URL: redis.url,
      DATABASE_URL: db.url,
      SWEEPER_INTERVAL_SEC: '1',
      FHIR_EXPORT_DIR: dir,
      FHIR_EXPORT_PAGE_SIZE: '40',
    });
    t = await startTestApp(env);
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    worker = await spawnWorker(env);
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    const patientId = await consentedPatient(t.http, a);
    sessionId = await sessionAt(t.http, a, 'dosing', { patientId });
    await createPatient(t.http, a.token.nurse);
    await createPatient(t.http, b.token.nurse);
    await insertReadings(0, 60);
  }, 120_000);
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await t?.close();
    await redis?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('MedplumClient.bulkExport: the manifest, every line valid, each resource once, the counts the database holds; the export is audited', async () => {
    const manifest = (await medplum(a.token.admin).bulkExport('', undefined, undefined, {
      pollStatusOnAccepted: true,
      pollStatusPeriod: 200,
    })) as Json;
    expect(manifest).toMatchObject({ requiresAccessToken: true, error: [] });
    expect(manifest.request).toMatch(/\/fhir\/R4\/\$export$/);
    expect(Date.parse(manifest.transactionTime as string)).not.toBeNaN();
    const types = (manifest.output as Json[]).map((o) => o.type as string);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Observation', 'Encounter', 'Consent', 'Practitioner']));
    for (const o of manifest.output as Json[]) {
      const lines = await download(o.url as string, a.token.admin);
      expect(lines).toHaveLength(o.count as number);
      expect(new Set(lines.map((r) => r.id)).size).toBe(lines.length);
      for (const r of lines) {
        expect(r.resourceType).toBe(o.type);
        expect(fhirErrors(r as never)).toEqual([]);
      }
      expect(o.count).toBe(await served(o.type as string, a.token.anesthesiologist));
    }
    // 60 monitor readings of five vital signs each, beside the session's own readings, weight and scores
    expect((manifest.output as Json[]).find((o) => o.type === 'Observation')?.count).toBeGreaterThanOrEqual(300);
    const [{ n }] = await t.runtime.dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM patients WHERE clinic_id = $1', [
      a.clinic.id,
    ]);
    expect((manifest.output as Json[]).find((o) => o.type === 'Patient')?.count).toBe(n);
    const audit = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ action: 'fhir.export.start', actorUserId: a.admin.id });
    expect(audit).toHaveLength(1);
    expect(audit[0].changes).toMatchObject({ level: 'system', since: null });
    const downloads = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'fhir.export.download', actorUserId: a.admin.id });
    expect(downloads).toHaveLength((manifest.output as Json[]).length);
  }, 60_000);

  it('Patient/$export honours _type and _since: only what changed after the instant, of the types asked', async () => {
    const since = new Date(Date.now() + 1000);
    await new Promise((r) => setTimeout(r, 1500)); // recorded after `since` (real time: recorded_at is the database's now())
    await insertReadings(100, 4);
    const sinceParam = since.toISOString().replace('Z', '+00:00');
    const manifest = (await medplum(a.token.anesthesiologist).bulkExport('Patient', 'Observation,Patient', sinceParam, {
      pollStatusOnAccepted: true,
      pollStatusPeriod: 200,
    })) as Json;
    expect(manifest.output).toEqual([expect.objectContaining({ type: 'Observation', count: 20 })]);
    const lines = await download((manifest.output as Json[])[0].url as string, a.token.anesthesiologist);
    expect(lines.every((r) => Date.parse(r.meta.lastUpdated as string) > since.getTime())).toBe(true);
  }, 60_000);

  it('the CapabilityStatement lists $export at system level and on Patient, by the Bulk Data IG definitions', async () => {
    const cs = JSON.parse((await t.http.get(`${FHIR}/metadata`).expect(200)).text) as Json;
    expect(cs.rest[0].operation).toEqual([
      expect.objectContaining({ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }),
    ]);
    const patient = (cs.rest[0].resource as Json[]).find((r) => r.type === 'Patient')!;
    expect(patient.operation).toEqual([
      { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
    ]);
    expect(fhirErrors(cs as never)).toEqual([]);
  });

  it('kick-off refusals: Prefer respond-async required, unknown _type, _since without offset, other formats; nurses may not export', async () => {
    const kick = (query: string, headers: Record<string, string> = { Prefer: 'respond-async' }, token = a.token.admin) =>
      t.http.get(`${FHIR}/$export${query}`).set(bearer(token)).set(headers);
    const refused = async (res: { status: number; text: string }, status: number, field: RegExp) => {
      expect(res.status).toBe(status);
      const body = JSON.parse(res.text) as Json;
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0].diagnostics).toMatch(field);
    };
    await refused(await kick('', {}), 400, /^Prefer: /);
    await refused(await kick('?_type=Patient,Medication'), 400, /^_type: Medication /);
    await refused(await kick('?_since=2026-11-29T19:00:00'), 400, /^_since: /);
    await refused(await kick('?_outputFormat=text/csv'), 400, /^_outputFormat: /);
    await refused(
      await t.http.get(`${FHIR}/Patient/$export?_type=Device`).set(bearer(a.token.admin)).set('Prefer', 'respond-async'),
      400,
      /^_type: /,
    );
    expect((await kick('', { Prefer: 'respond-async' }, a.token.nurse)).status).toBe(403);
    const ok = await kick('?_type=Location&_outputFormat=application%2Ffhir%2Bndjson&_since=2026-11-29T14:30:00%2B05:00');
    expect(ok.status).toBe(202);
    expect(ok.headers['content-location']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/R4\/\$export-status\/[0-9a-f-]{36}$/);
  });

  it('another clinic can read neither the status nor the files (404); DELETE cancels, and its status and files are gone', async () => {
    const manifest = (await medplum(a.token.admin).bulkExport('', 'Patient', undefined, {
      pollStatusOnAccepted: true,
      pollStatusPeriod: 200,
    })) as Json;
    const fileUrl = (manifest.output as Json[])[0].url as string;
    const statusUrl = fileUrl.replace(/\$export-file\/([0-9a-f-]{36})\/.*$/, '$export-status/$1');
    for (const url of [statusUrl, fileUrl]) {
      const res = await fetch(url, { headers: bearer(b.token.admin) });
      expect(res.status).toBe(404);
      expect(((await res.json()) as Json).resourceType).toBe('OperationOutcome');
    }
    expect((await fetch(statusUrl, { method: 'DELETE', headers: bearer(b.token.admin) })).status).toBe(404);

    const kicked = await t.http.post(`${FHIR}/$export`).set(bearer(a.token.admin)).set('Prefer', 'respond-async').expect(202);
    const running = String(kicked.headers['content-location']);
    const id = running.split('/').pop()!;
    expect((await fetch(running, { method: 'DELETE', headers: bearer(a.token.admin) })).status).toBe(202);
    expect((await fetch(running, { headers: bearer(a.token.admin) })).status).toBe(404);
    expect((await fetch(running, { method: 'DELETE', headers: bearer(a.token.admin) })).status).toBe(404);
    // The worker stops at its next page (or never starts) and leaves no file behind.
    await until('the cancelled export let go', async () => {
      const [row] = await t.runtime.dataSource.query<Array<{ work: string }>>(
        `SELECT status AS work FROM pending_work WHERE kind = 'fhir-export' AND subject_id = $1`,
        [id],
      );
      return row?.work === 'done';
    });
    expect(existsSync(join(dir, a.clinic.id, id))).toBe(false);
    const [row] = await t.runtime.dataSource.query<Array<{ status: string }>>('SELECT status FROM fhir_exports WHERE id = $1', [id]);
    expect(row.status).toBe('cancelled');
  }, 60_000);

  it('when its retention is over, the sweep on the durable queue deletes the files and the row; the status URL is then 404', async () => {
    const manifest = (await medplum(a.token.admin).bulkExport('', 'Practitioner', undefined, {
      pollStatusOnAccepted: true,
      pollStatusPeriod: 200,
    })) as Json;
    const id = /\$export-file\/([0-9a-f-]{36})\//.exec((manifest.output as Json[])[0].url as string)![1];
    expect(existsSync(join(dir, a.clinic.id, id))).toBe(true);
    const [{ hours }] = await t.runtime.dataSource.query<[{ hours: number }]>(
      `SELECT round(extract(epoch FROM w.due_at - e.finished_at) / 3600)::int AS hours
         FROM pending_work w JOIN fhir_exports e ON e.id = w.subject_id WHERE w.kind = 'fhir-export-expire' AND w.subject_id = $1`,
      [id],
    );
    expect(hours).toBe(24); // FHIR_EXPORT_RETENTION_HOURS' default
    // A day passes: the row comes due (the sweeper, each second here, adds its job).
    await t.runtime.dataSource.query(`UPDATE pending_work SET due_at = now() WHERE kind = 'fhir-export-expire' AND subject_id = $1`, [id]);
    await until(
      'the export expired',
      async () => !(await t.runtime.dataSource.query<unknown[]>('SELECT 1 FROM fhir_exports WHERE id = $1', [id])).length,
    );
    expect(existsSync(join(dir, a.clinic.id, id))).toBe(false);
    expect((await fetch(`${origin}${FHIR}/$export-status/${id}`, { headers: bearer(a.token.admin) })).status).toBe(404);
  }, 60_000);
});
