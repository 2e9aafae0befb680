import { FollowUpsService } from '../../libs/clinic/src/index.js';
import { TransactionRunner } from '../../libs/platform/src/index.js';
import { ownDatabase, startTestApp, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from '../support/factories.js';
import { dosingSessions, loadRun, sleep, until } from '../support/load.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { vitals } from '../support/sessions.js';
import { testEnv } from '../support/test-env.js';

const withRedis = testEnv.redisUrl() ? describe : describe.skip;
const FOLLOW_UPS = 30;

/**
 * Redis (the queues) is killed under a vitals load from four chairs and comes back empty. The
 * API runs the worker in its own process (WORKER_EMBEDDED), as `npm start` does with REDIS_URL set.
 */
withRedis('Redis killed during a vitals load', () => {
  let redis: PrivateRedis;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let t: TestApp;
  let s: Staff;
  const sessions: string[] = [];
  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await ownDatabase();
    t = await startTestApp({ REDIS_URL: redis.url, DATABASE_URL: db.url, SWEEPER_INTERVAL_SEC: '1', WORKER_EMBEDDED: 'true' });
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    sessions.push(...(await dosingSessions(t.http, s, 4)));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await db?.drop();
  });

  const q = <T>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T>(sql, params);

  it('readings and alerts are stored and answered; escalations and follow-ups due meanwhile fire once Redis is back, exactly once', async () => {
    await redis.kill();
    const killedAt = Date.now();
    // Four chairs post readings; every fourth is critical (systolic 190: an alert, escalated after 2 min unacknowledged).
    const load = loadRun(
      4,
      (w, i) => ({
        what: sessions[w],
        send: async () => {
          const res = await t.http
            .post(`/api/v1/sessions/${sessions[w]}/vitals`)
            .set(bearer(s.token.nurse))
            .send(vitals({ systolic: i % 4 === 0 ? 190 : 126 }))
            .timeout(10_000);
          return { status: res.status, code: (res.body as { code?: string }).code };
        },
      }),
      100,
    );
    // Follow-ups written while Redis is away, coming due within seconds.
    const patientId = (await createPatient(t.http, s.token.nurse)).id;
    const followUps = t.app.get(FollowUpsService);
    await t.app.get(TransactionRunner).run(async (tx) => {
      for (let i = 0; i < FOLLOW_UPS; i++)
        await followUps.create(tx, {
          clinicId: s.clinic.id,
          patientId,
          kind: 'check-in-call-24h',
          title: `call ${i}`,
          dueAt: new Date(Date.now() + 1000 + i * 50),
          assigneeRole: 'nurse',
        });
    });
    const ready = await t.http.get('/health/ready').timeout(10_000);
    const board = await t.http.get('/api/v1/sessions/board').set(bearer(s.token.anesthesiologist)).timeout(10_000);
    await sleep(2000);
    const answers = await load.stop();
    const alerts = await q<{ id: string }[]>(`SELECT id FROM alerts WHERE session_id = ANY($1) AND level = 'critical'`, [sessions]);
    // Time passes for the alerts: their first escalation (to the session's anesthesiologist) comes due now, with Redis still away.
    await q(
      `UPDATE pending_work SET due_at = now() + interval '300 milliseconds' WHERE kind = 'escalate-alert-to-session' AND subject_id = ANY($1)`,
      [alerts.map((a) => a.id)],
    );
    await sleep(1500);
    const firedDuringOutage = await q<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM follow_ups WHERE status = 'due') + (SELECT count(*) FROM alert_events WHERE type = 'escalated') AS n`,
    );
    const outageMs = Date.now() - killedAt;
    await redis.restart();
    const backAt = Date.now();
    await until(
      'the escalations and follow-ups',
      async () =>
        (
          await q<{ n: number }[]>(
            `SELECT ((SELECT count(*) FROM follow_ups WHERE status = 'due') + (SELECT count(*) FROM alert_events WHERE type = 'escalated'))::int AS n`,
          )
        )[0].n >=
        FOLLOW_UPS + alerts.length,
      20_000,
    );
    const firedAfterMs = Date.now() - backAt;
    await until('/health/ready answering 200', async () => (await t.http.get('/health/ready')).status === 200, 10_000);
    await sleep(2500); // more sweeps: nothing fires twice
    process.stdout.write(
      `redis outage: ${JSON.stringify({ readings: answers.length, slowestMs: Math.max(...answers.map((a) => a.ms)), outageMs, firedAfterMs })}\n`,
    );

    // While Redis was away: every reading stored and answered, quickly; alerts raised and on the board; readiness says so.
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2000);
    const stored = await q<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM vital_readings WHERE session_id = ANY($1) AND id NOT IN (SELECT baseline_reading_id FROM sessions WHERE id = ANY($1))`,
      [sessions],
    );
    expect(stored[0].n).toBe(answers.length);
    expect(alerts).toHaveLength(4); // one critical alert per session; later breaches attach to it
    expect(board.status).toBe(200);
    expect((board.body as Array<{ openAlerts: unknown[] }>).every((e) => e.openAlerts.length > 0)).toBe(true);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ database: { status: 'up' }, queue: { status: 'down' } });
    expect(firedDuringOutage[0].n).toBe('0'); // nothing could fire without the queue...
    expect(firedAfterMs).toBeLessThan(15_000); // ...and all of it did soon after its return
    // Exactly once: each alert escalated once (level 1), each follow-up due once with one email per nurse.
    const escalations = await q<{ alert_id: string; n: number }[]>(
      `SELECT a.id AS alert_id, (SELECT count(*)::int FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'escalated') AS n
         FROM alerts a WHERE a.id = ANY($1)`,
      [alerts.map((a) => a.id)],
    );
    expect(escalations.map((e) => e.n)).toEqual([1, 1, 1, 1]);
    const mails = await q<{ n: number }[]>(
      `SELECT count(n.id)::int AS n FROM follow_ups f LEFT JOIN notifications n ON n.body LIKE '%Follow-up ' || f.id || '.%' WHERE f.patient_id = $1 GROUP BY f.id`,
      [patientId],
    );
    expect(mails.map((m) => m.n)).toEqual(Array.from({ length: FOLLOW_UPS }, () => 1));
  }, 90_000);
});
