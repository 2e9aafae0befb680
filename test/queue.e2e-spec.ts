import { type DataSource } from 'typeorm';
import {
  JOB_QUEUE,
  JobDispatcher,
  JobName,
  JobQueue,
  PendingWork,
  PendingWorkService,
  RefreshToken,
  TransactionRunner,
  pendingWorkJobId,
} from '../libs/platform/src/index.js';
import { ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { createClinic, createUser, login } from './support/factories.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { testEnv } from './support/test-env.js';

const until = async (what: string, check: () => Promise<boolean>, ms = 15000): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  env: Record<string, string>;
  /** Loses every queued job, as a Redis FLUSHALL (or a wiped queue table) would. */
  loseQueuedJobs(ds: DataSource): Promise<void>;
  stop(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'PostgreSQL',
    async () => ({
      env: {},
      // Wiping the job table under a running worker can deadlock with it: try again, as an operator would.
      loseQueuedJobs: async (ds) => {
        for (let i = 0; ; i++) {
          try {
            await ds.query('DELETE FROM bullmq.job');
            return;
          } catch (err) {
            if (i >= 10 || !/deadlock/i.test(String(err))) throw err;
            await sleep(200);
          }
        }
      },
      stop: async () => undefined,
    }),
  ],
];
if (testEnv.redisUrl()) {
  backends.push([
    'Redis',
    async () => {
      const redis: PrivateRedis = await startPrivateRedis();
      return {
        env: { REDIS_URL: redis.url },
        loseQueuedJobs: async () => {
          await redis.client.flushall();
        },
        stop: () => redis.stop(),
      };
    },
  ]);
}

describe.each(backends)('durable pending work on the %s queue backend', (_name, makeBackend) => {
  let backend: Backend;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    backend = await makeBackend();
    db = await ownDatabase();
    t = await startTestApp({ ...backend.env, DATABASE_URL: db.url, SWEEPER_INTERVAL_SEC: '1', WORKER_EMBEDDED: 'true' });
    ds = t.runtime.dataSource;
  });
  // Closing drains the embedded worker and its queue connections: slow on a loaded machine.
  afterAll(async () => {
    await t.close();
    await backend.stop();
    await db.drop();
  }, 90_000);

  /** A real refresh token whose expiry is the pending work under test. */
  async function tokenWithExpiryIn(ms: number): Promise<{ tokenId: string; workId: string; dueAt: Date }> {
    const clinic = await createClinic(ds);
    const user = await createUser(ds, clinic.id, 'nurse');
    const tokens = await login(t.http, user.email);
    const tokenId = tokens.refreshToken.split('.')[0];
    const dueAt = new Date(Date.now() + ms);
    const workId = await t.app
      .get(TransactionRunner)
      .run((tx) =>
        t.app.get(PendingWorkService).schedule(tx, { kind: JobName.ExpireRefreshToken, subjectId: tokenId, dueAt, clinicId: clinic.id }),
      );
    return { tokenId, workId, dueAt };
  }

  const work = (id: string) => ds.getRepository(PendingWork).findOneByOrFail({ id });
  const token = (id: string) => ds.getRepository(RefreshToken).findOneByOrFail({ id });

  it('carries out a pending row once, at its due time', async () => {
    const { tokenId, workId, dueAt } = await tokenWithExpiryIn(1500);
    expect((await work(workId)).status).toBe('pending');
    await until('the work to be done', async () => (await work(workId)).status === 'done');
    const done = await work(workId);
    expect(done.attempts).toBe(1);
    expect(done.completedAt!.getTime()).toBeGreaterThanOrEqual(dueAt.getTime() - 1000);
    expect(await token(tokenId)).toMatchObject({ tokenHash: null, revokedReason: 'expired' });
  });

  it('still fires when the queue lost its job: the sweeper re-enqueues it from the table', async () => {
    const { tokenId, workId, dueAt } = await tokenWithExpiryIn(2500);
    const queue = t.app.get(JobQueue).queue(JOB_QUEUE[JobName.ExpireRefreshToken]);
    const jobId = pendingWorkJobId(JobName.ExpireRefreshToken, workId, dueAt);
    await until('the job to be queued after commit', async () => Boolean(await queue.getJob(jobId)));
    await backend.loseQueuedJobs(ds);
    expect(await queue.getJob(jobId)).toBeUndefined();
    await until('the work to be done after the queue lost it', async () => (await work(workId)).status === 'done', 20000);
    expect((await work(workId)).attempts).toBe(1);
    expect((await token(tokenId)).tokenHash).toBeNull();
  });

  it('work moved later or cancelled never fires at its old time', async () => {
    const moved = await tokenWithExpiryIn(1000);
    const cancelled = await tokenWithExpiryIn(1000);
    await t.app.get(TransactionRunner).run(async (tx) => {
      await t.app
        .get(PendingWorkService)
        .schedule(tx, { kind: JobName.ExpireRefreshToken, subjectId: moved.tokenId, dueAt: new Date(Date.now() + 3_600_000) });
      await t.app.get(PendingWorkService).cancel(tx, JobName.ExpireRefreshToken, cancelled.tokenId);
    });
    await sleep(3500);
    expect((await work(moved.workId)).status).toBe('pending');
    expect((await work(cancelled.workId)).status).toBe('cancelled');
    expect((await token(moved.tokenId)).tokenHash).not.toBeNull();
    expect((await token(cancelled.tokenId)).tokenHash).not.toBeNull();
  });

  it('adding the same job id twice keeps one job', async () => {
    const jobs = t.app.get(JobQueue);
    const { workId } = await tokenWithExpiryIn(3_600_000);
    const dueAt = (await work(workId)).dueAt;
    const jobId = pendingWorkJobId(JobName.ExpireRefreshToken, workId, dueAt);
    for (let i = 0; i < 3; i++) await jobs.add(JobName.ExpireRefreshToken, { workId }, { jobId, runAt: dueAt });
    const delayed = await jobs.queue(JOB_QUEUE[JobName.ExpireRefreshToken]).getDelayed();
    expect(delayed.filter((j) => j.id === jobId)).toHaveLength(1);
  });

  it('five workers racing for one due row: exactly one carries it out', async () => {
    const { workId } = await tokenWithExpiryIn(3_600_000);
    await ds.query(`UPDATE pending_work SET due_at = now() - interval '1 second' WHERE id = $1`, [workId]);
    let runs = 0;
    const handler = async () => {
      runs++;
      await sleep(50);
    };
    const dispatcher = t.app.get(JobDispatcher);
    const results = await Promise.all(Array.from({ length: 5 }, () => dispatcher.runPendingWork(handler, { workId })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    expect((await work(workId)).status).toBe('done');
  });

  it('a handler that fails leaves the row pending with the error, for the queue to retry', async () => {
    const { workId } = await tokenWithExpiryIn(3_600_000);
    await ds.query(`UPDATE pending_work SET due_at = now() WHERE id = $1`, [workId]);
    const dispatcher = t.app.get(JobDispatcher);
    await expect(dispatcher.runPendingWork(async () => Promise.reject(new Error('SMTP is down')), { workId })).rejects.toThrow(
      'SMTP is down',
    );
    expect(await work(workId)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMTP is down' });
  });
});
