import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VitalReading } from '../../libs/clinic/src/index.js';
import { ownDatabase, startTestApp, testConfigEnv, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, type Staff } from '../support/factories.js';
import { until } from '../support/load.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { spawnWorker, type VigilProcess } from '../support/processes.js';
import { consentedPatient, sessionAt } from '../support/sessions.js';
import { testEnv } from '../support/test-env.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const READINGS = Number(process.env['FAULTS_EXPORT_READINGS'] ?? 3000);
const withRedis = testEnv.redisUrl() ? describe : describe.skip;

/**
 * A bulk export is under way (small pages, so it takes a while) when the worker is SIGKILLed and
 * Redis flushed. The export's row is the record: the next worker resumes it from its last committed
 * page, cuts what the dead one wrote after it, and the files hold every resource exactly once.
 */
withRedis(`a FHIR export of ${READINGS * 5} Observations through a worker SIGKILL and a Redis flush`, () => {
  let redis: PrivateRedis;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let dir: string;
  let t: TestApp;
  let worker: VigilProcess;
  let s: Staff;
  let env: Record<string, string>;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await ownDatabase();
    dir = await mkdtemp(join(tmpdir(), 'vigil-export-fault-'));
    env = testConfigEnv({
      REDIS_URL: redis.url,
      DATABASE_URL: db.url,
      SWEEPER_INTERVAL_SEC: '1',
      FHIR_EXPORT_DIR: dir,
      FHIR_EXPORT_PAGE_SIZE: '50',
    });
    t = await startTestApp(env);
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    const patientId = await consentedPatient(t.http, s);
    const sessionId = await sessionAt(t.http, s, 'dosing', { patientId });
    const start = Date.parse('2026-11-29T19:00:00.000Z');
    for (let from = 0; from < READINGS; from += 1000)
      await t.runtime.dataSource.getRepository(VitalReading).insert(
        Array.from({ length: Math.min(1000, READINGS - from) }, (_, i) => ({
          clinicId: s.clinic.id,
          sessionId,
          measuredAt: new Date(start + (from + i) * 15_000),
          source: 'device' as const,
          deviceId: '0009FBFFFE4A1C20',
          phase: 'dosing' as const,
          systolic: 120,
          diastolic: 75,
          heartRate: 70,
          spo2: 97,
          respiratoryRate: 14,
          temperatureC: 36.7,
          recordedBy: s.nurse.id,
        })),
      );
  }, 120_000);
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await t?.close();
    await redis?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const exportRow = async (id: string) =>
    (await t.runtime.dataSource.query<Json[]>('SELECT status, progress FROM fhir_exports WHERE id = $1', [id]))[0];

  it('completes with the database counts and no resource twice', async () => {
    const kicked = await t.http
      .get('/fhir/R4/$export?_type=Patient,Observation')
      .set(bearer(s.token.admin))
      .set('Prefer', 'respond-async')
      .expect(202);
    const statusPath = new URL(String(kicked.headers['content-location'])).pathname;
    const id = statusPath.split('/').pop()!;
    await redis.client.flushall(); // the job the API added is gone: the sweeper adds it from the row
    worker = await spawnWorker(env);
    await until(
      'the export half-way',
      async () => Number((await exportRow(id)).progress?.Observation?.count ?? 0) >= READINGS * 2,
      60_000,
      20,
    );
    const atKill = Number((await exportRow(id)).progress.Observation.count);
    const polled = await t.http.get(statusPath).set(bearer(s.token.admin)).expect(202);
    expect(polled.headers['x-progress']).toMatch(/resources; now Observation$/);
    await worker.kill('SIGKILL');
    await redis.client.flushall();
    worker = await spawnWorker(env);
    await until('the export complete', async () => (await exportRow(id)).status === 'completed', 120_000, 200);

    const manifest = JSON.parse((await t.http.get(statusPath).set(bearer(s.token.admin)).expect(200)).text) as Json;
    const expected = { Patient: 1, Observation: await observationsInDb() };
    expect(atKill).toBeLessThan(expected.Observation); // the kill really was mid-way
    expect(Object.fromEntries((manifest.output as Json[]).map((o) => [o.type, o.count]))).toEqual(expected);
    expect(await readdir(join(dir, s.clinic.id, id))).toEqual(['Observation.ndjson', 'Patient.ndjson']);
    const lines = (await readFile(join(dir, s.clinic.id, id, 'Observation.ndjson'), 'utf8')).trimEnd().split('\n');
    const ids = lines.map((l) => (JSON.parse(l) as Json).id as string); // every line whole JSON
    expect(ids).toHaveLength(expected.Observation);
    expect(new Set(ids).size).toBe(ids.length);
    const [work] = await t.runtime.dataSource.query<Json[]>(
      `SELECT string_agg(status, ',') AS statuses FROM pending_work WHERE kind = 'fhir-export' AND subject_id = $1`,
      [id],
    );
    expect(work.statuses).toBe('done');
  }, 240_000);

  /** Observations the read API counts for the clinic. */
  async function observationsInDb(): Promise<number> {
    const res = await t.http.get('/fhir/R4/Observation?_count=1').set(bearer(s.token.anesthesiologist)).expect(200);
    return (JSON.parse(res.text) as Json).total as number;
  }
});
