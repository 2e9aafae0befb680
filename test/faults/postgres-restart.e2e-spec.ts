import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, type Staff } from '../support/factories.js';
import { dosingSessions, loadRun, sleep, until, type Answer } from '../support/load.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { vitals } from '../support/sessions.js';
import { testEnv } from '../support/test-env.js';

/** The longest any request may take to answer while PostgreSQL is away. */
const MAX_ANSWER_MS = 5000;

const withRedis = testEnv.redisUrl() ? describe : describe.skip;

interface Write {
  key: string;
  sessionId: string;
  body: Record<string, unknown>;
}

/**
 * PostgreSQL (a server of this test's own) is stopped and started again under a load of vitals
 * from several chairs. The API runs on it with the queues on Redis, as in production.
 */
withRedis('PostgreSQL restarted under a vitals load', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let s: Staff;
  const sessions: string[] = [];
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    t = await startTestApp({ DATABASE_URL: await pg.database(), REDIS_URL: testEnv.redisUrl()!, DATABASE_POOL_SIZE: '4' });
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    sessions.push(...(await dosingSessions(t.http, s, 4)));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await pg?.cleanup();
  });

  const post = (w: Write) =>
    t.http
      .post(`/api/v1/sessions/${w.sessionId}/vitals`)
      .set(bearer(s.token.nurse))
      .set('Idempotency-Key', w.key)
      .send(w.body)
      .timeout(15_000);
  const q = <T>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T>(sql, params);
  const countReadings = async () =>
    (await q<{ n: number }[]>(`SELECT count(*)::int AS n FROM vital_readings WHERE session_id = ANY($1)`, [sessions]))[0].n;

  /**
   * Six chairs' monitors post at once through a pool of four connections (so some wait for a slot);
   * every third reading breaches. `outage` takes PostgreSQL away and brings it back.
   */
  async function underLoad(outage: { begin(): Promise<void>; end(): Promise<void>; lastsMs: number }) {
    const readingsBefore = await countReadings();
    const load = loadRun<Write>(
      6,
      (w, i) => {
        const write: Write = {
          key: randomUUID(),
          sessionId: sessions[w % sessions.length],
          body: vitals({ systolic: i % 3 === 0 ? 190 : 124, measuredAt: new Date().toISOString() }),
        };
        return {
          what: write,
          send: async () => {
            const res = await post(write);
            return { status: res.status, code: (res.body as { code?: string }).code };
          },
        };
      },
      100,
    );
    await sleep(1500);
    const downAt = Date.now() - load.startedAt;
    await outage.begin();
    const readyStarted = Date.now();
    const ready = await t.http.get('/health/ready').timeout(15_000);
    const readyMs = Date.now() - readyStarted;
    await sleep(outage.lastsMs);
    const upAt = Date.now() - load.startedAt;
    await outage.end();
    const returnedAt = Date.now();
    await until('/health/ready answering 200', async () => (await t.http.get('/health/ready').timeout(15_000)).status === 200, 10_000);
    const readyAgainMs = Date.now() - returnedAt;
    await until('a reading stored after the return', () => load.answers.some((a) => a.at >= upAt && a.status === 201), 10_000);
    await sleep(1000);
    const answers = await load.stop();
    const firstStoredAfter = Math.min(...answers.filter((a) => a.at >= upAt && a.status === 201).map((a) => a.at + a.ms));
    const failed = answers.filter((a) => a.status !== 201);
    const figures = {
      requests: answers.length,
      refused: failed.length,
      slowestMs: Math.max(...answers.map((a) => a.ms)),
      slowestRefusalMs: Math.max(0, ...failed.map((a) => a.ms)),
      readyDuringOutageMs: readyMs,
      readyAgainMs,
      firstReadingStoredAfterReturnMs: firstStoredAfter - (returnedAt - load.startedAt),
    };
    process.stdout.write(`${expect.getState().currentTestName}: ${JSON.stringify(figures)}\n`);

    expect(ready.status).toBe(503);
    expect((ready.body as { database: { status: string } }).database.status).toBe('down');
    expect(readyMs).toBeLessThan(5000);
    // The outage was real (requests were refused), and every refusal was a well-formed 503 within 5 s.
    expect(failed.filter((a) => a.at >= downAt && a.at < upAt).length).toBeGreaterThan(0);
    expect(failed.map((a) => `${a.status} ${a.code}`)).toEqual(failed.map(() => '503 DATABASE_UNAVAILABLE'));
    expect(answers.filter((a: Answer) => a.ms > MAX_ANSWER_MS).map((a) => a.ms)).toEqual([]);
    expect(readyAgainMs).toBeLessThan(10_000);
    expect(figures.firstReadingStoredAfterReturnMs).toBeLessThan(10_000);

    // The monitors resend what was refused, with the same keys: each reading ends up stored exactly once.
    for (const a of failed) expect((await post(a.what)).status).toBe(201);
    const stored = await q<{ id: string; breach_level: string }[]>(
      `SELECT r.id, r.breach_level FROM vital_readings r JOIN idempotency_keys k ON k.response->'reading'->>'id' = r.id::text
        WHERE k.key = ANY($1)`,
      [answers.map((a) => a.what.key)],
    );
    expect(stored).toHaveLength(answers.length);
    expect(await countReadings()).toBe(readingsBefore + answers.length);
    // Whole: each reading has its audit row, and each breaching one its alert.
    const orphans = await q<{ id: string }[]>(
      `SELECT r.id FROM vital_readings r
        WHERE r.id = ANY($1)
          AND (NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.action = 'session.vitals.record' AND e.changes->>'first' = r.id::text)
               OR (r.breach_level <> 'none' AND NOT EXISTS (SELECT 1 FROM alert_readings ar WHERE ar.reading_id = r.id)))`,
      [stored.map((r) => r.id)],
    );
    expect(orphans).toEqual([]);
    expect(stored.filter((r) => r.breach_level !== 'none').length).toBeGreaterThan(0);
  }

  it('restarted: answers 503 DATABASE_UNAVAILABLE within 5 s while it is down, recovers by itself, every reading stored whole, once', async () => {
    await underLoad({ begin: () => pg.stop('fast'), end: () => pg.start(), lastsMs: 3000 });
  }, 90_000);

  it('frozen (a hung host: connections open, nothing answers): the same', async () => {
    await underLoad({ begin: () => pg.freeze(), end: () => pg.thaw(), lastsMs: 6000 });
  }, 90_000);
});
