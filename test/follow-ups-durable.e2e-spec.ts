import { FollowUpsService } from '../libs/clinic/src/index.js';
import { TransactionRunner } from '../libs/platform/src/index.js';
import { ownDatabase, startTestApp, testConfigEnv, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { spawnWorker, type VigilProcess } from './support/processes.js';
import { testEnv } from './support/test-env.js';

const until = async (what: string, check: () => Promise<boolean>, ms = 60000): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const withRedis = testEnv.redisUrl() ? describe : describe.skip;

/**
 * The API (here: in the test process) schedules; a stand-alone worker process does the work, as in
 * production. The worker is SIGKILLed mid-way and Redis flushed: the rows in PostgreSQL are the truth.
 */
withRedis('follow-ups on a durable queue', () => {
  let redis: PrivateRedis;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let t: TestApp;
  let worker: VigilProcess;
  let s: Staff;
  let patientId: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await ownDatabase();
    env = testConfigEnv({ REDIS_URL: redis.url, DATABASE_URL: db.url, SWEEPER_INTERVAL_SEC: '1' });
    t = await startTestApp(env);
    worker = await spawnWorker(env);
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    patientId = (await createPatient(t.http, s.token.nurse)).id;
  }, 90_000);
  afterAll(async () => {
    await worker.kill('SIGTERM');
    await t.close();
    await redis.stop();
    await db.drop();
  });

  async function schedule(n: number, dueInMs: (i: number) => number, tag: string): Promise<void> {
    const followUps = t.app.get(FollowUpsService);
    for (let from = 0; from < n; from += 100) {
      await t.app.get(TransactionRunner).run(async (tx) => {
        for (let i = from; i < Math.min(n, from + 100); i++) {
          await followUps.create(tx, {
            clinicId: s.clinic.id,
            patientId,
            kind: 'check-in-call-24h',
            title: `${tag} ${i}`,
            dueAt: new Date(Date.now() + dueInMs(i)),
            assigneeRole: 'admin',
          });
        }
      });
    }
  }

  const count = async (sql: string, params: unknown[]) => (await t.runtime.dataSource.query<{ n: number }[]>(sql, params))[0].n;

  it('1,000 follow-ups: Redis flushed and the worker SIGKILLed mid-way, every one becomes due exactly once', async () => {
    await schedule(1000, (i) => 2000 + (i % 50) * 100, 'durability');
    await redis.client.flushall();
    await until(
      'some due',
      async () => (await count(`SELECT count(*)::int AS n FROM follow_ups WHERE title LIKE 'durability %' AND status = 'due'`, [])) > 100,
    );
    // The worker dies mid-way (no clean-up at all); a new one takes over with the queue empty again.
    await worker.kill('SIGKILL');
    const dueAtKill = await count(`SELECT count(*)::int AS n FROM follow_ups WHERE title LIKE 'durability %' AND status = 'due'`, []);
    await redis.client.flushall();
    worker = await spawnWorker(env);
    await until(
      'all due',
      async () =>
        (await count(`SELECT count(*)::int AS n FROM follow_ups WHERE title LIKE 'durability %' AND status = 'due'`, [])) === 1000,
    );
    expect(dueAtKill).toBeLessThan(1000); // the kill really was mid-way
    await new Promise((r) => setTimeout(r, 2000)); // more sweeps: nothing fires twice
    const perTask = await t.runtime.dataSource.query<{ n: number }[]>(
      `SELECT count(n.id)::int AS n FROM follow_ups f LEFT JOIN notifications n ON n.body LIKE '%Follow-up ' || f.id || '.%' WHERE f.title LIKE 'durability %' GROUP BY f.id`,
    );
    expect(perTask).toHaveLength(1000);
    expect(new Set(perTask.map((r) => r.n))).toEqual(new Set([1])); // one administrator, one email each
  }, 120_000); // two worker start-ups from source and 1,000 rows: slow when the machine is busy

  it('a follow-up rescheduled or cancelled before its time never fires at its old time', async () => {
    // Due in 6 s: time enough for the two requests below on a busy machine; then waited past.
    const scheduledAt = Date.now();
    await schedule(2, () => 6000, 'moved');
    const [moved, cancelled] = await t.runtime.dataSource.query<{ id: string }[]>(
      `SELECT id FROM follow_ups WHERE title LIKE 'moved %' ORDER BY title`,
    );
    await t.http
      .post(`/api/v1/follow-ups/${moved.id}/reschedule`)
      .set(bearer(s.token.admin))
      .send({ dueAt: new Date(Date.now() + 3_600_000).toISOString() })
      .expect(200);
    await t.http.post(`/api/v1/follow-ups/${cancelled.id}/cancel`).set(bearer(s.token.admin)).send({ reason: 'not needed' }).expect(200);
    expect(Date.now() - scheduledAt).toBeLessThan(6000); // both changes came before the old due time
    await new Promise((r) => setTimeout(r, Math.max(0, scheduledAt + 8000 - Date.now())));
    const rows = await t.runtime.dataSource.query<{ status: string }[]>(
      `SELECT status FROM follow_ups WHERE title LIKE 'moved %' ORDER BY title`,
    );
    expect(rows.map((r) => r.status)).toEqual(['pending', 'cancelled']);
    expect(
      await count(`SELECT count(*)::int AS n FROM notifications WHERE body LIKE $1 OR body LIKE $2`, [
        `%${moved.id}%`,
        `%${cancelled.id}%`,
      ]),
    ).toBe(0);
  });
});
