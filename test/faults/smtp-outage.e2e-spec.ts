import type { SMTPServer } from 'smtp-server';
import { freePort } from '../../libs/platform/src/index.js';
import { ownDatabase, startTestApp, testConfigEnv, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, createUser, type Staff } from '../support/factories.js';
import { sleep, until } from '../support/load.js';
import { spawnWorker, type VigilProcess } from '../support/processes.js';
import { consentedPatient } from '../support/sessions.js';
import { closeSmtp, smtp, type Received } from '../support/smtp.js';
import { testEnv } from '../support/test-env.js';

const withRedis = testEnv.redisUrl() ? describe : describe.skip;

/**
 * The API writes messages to the outbox; a stand-alone worker process delivers them. The SMTP
 * server goes away while messages are written, the worker is SIGKILLed and replaced meanwhile,
 * and the server comes back: each message arrives once.
 */
withRedis('SMTP server down for a while', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let t: TestApp;
  let worker: VigilProcess;
  let s: Staff;
  let env: Record<string, string>;
  let port: number;
  let server: SMTPServer | null = null;
  const inbox: Received[] = [];
  beforeAll(async () => {
    port = await freePort();
    server = await smtp(port, inbox);
    db = await ownDatabase();
    env = testConfigEnv({
      REDIS_URL: testEnv.redisUrl()!,
      DATABASE_URL: db.url,
      SWEEPER_INTERVAL_SEC: '1',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    t = await startTestApp(env);
    worker = await spawnWorker(env);
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    await createUser(t.runtime.dataSource, s.clinic.id, 'admin'); // two administrators: two messages per withdrawal
  }, 60_000);
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await t?.close();
    await db?.drop();
    if (server) await closeSmtp(server);
  });

  const q = <T>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T>(sql, params);

  /** A consent withdrawn: the administrators are told by email. Returns the patient. */
  async function withdrawal(): Promise<string> {
    const patientId = await consentedPatient(t.http, s);
    const consents = await t.http.get(`/api/v1/patients/${patientId}/consents`).set(bearer(s.token.nurse)).expect(200);
    await t.http
      .post(`/api/v1/patients/${patientId}/consents/${consents.body.items[0].id}/withdraw`)
      .set(bearer(s.token.nurse))
      .send({ reason: 'moving away' })
      .expect(200);
    return patientId;
  }

  const messages = () =>
    q<{ id: string; status: string; attempts: number; last_error: string | null }[]>(
      `SELECT id, status, attempts, last_error FROM notifications WHERE subject = 'Vigil: consent withdrawn' ORDER BY id`,
    );
  const arrived = (id: string) => inbox.filter((m) => m.raw.includes(`<${id}@vigil>`)).length;

  it('messages wait in the outbox while it is down, across a worker kill, and each goes out once when it is back', async () => {
    await withdrawal();
    await until('the first message delivered', async () => (await messages()).every((m) => m.status === 'sent'));
    await closeSmtp(server!);
    server = null;
    for (let i = 0; i < 3; i++) await withdrawal();
    await until('a failed attempt for each waiting message', async () =>
      (await messages()).filter((m) => m.status !== 'sent').every((m) => m.attempts >= 1 && m.status === 'pending'),
    );
    await worker.kill('SIGKILL');
    for (let i = 0; i < 2; i++) await withdrawal(); // written while no worker runs
    worker = await spawnWorker(env);
    await sleep(1500);
    const waiting = (await messages()).filter((m) => m.status !== 'sent');
    const arrivedWhileDown = waiting.map((m) => arrived(m.id));
    server = await smtp(port, inbox);
    const backAt = Date.now();
    await until('every message sent', async () => (await messages()).every((m) => m.status === 'sent'), 30_000).catch(
      async (err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify(await messages())}\n${worker.output().slice(-3000)}`);
      },
    );
    const deliveredAfterMs = Date.now() - backAt;
    await sleep(2500); // more sweeps and retries: nothing goes out twice
    process.stdout.write(`smtp outage: ${JSON.stringify({ waiting: waiting.length, deliveredAfterMs })}\n`);

    expect(waiting).toHaveLength(10); // 5 withdrawals during the outage × 2 administrators
    expect(waiting.filter((m) => m.attempts >= 1).every((m) => /ECONNREFUSED|connect/i.test(m.last_error ?? ''))).toBe(true);
    expect(arrivedWhileDown).toEqual(waiting.map(() => 0)); // nothing went out while it was down
    const all = await messages();
    expect(all).toHaveLength(12);
    expect(all.map((m) => arrived(m.id))).toEqual(all.map(() => 1)); // each exactly once, after
    expect(deliveredAfterMs).toBeLessThan(20_000);
  }, 120_000);
});
