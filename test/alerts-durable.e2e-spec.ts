import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { ownDatabase, startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, type Staff } from './support/factories.js';
import { startPrivateRedis } from './support/private-redis.js';
import { readySession, startBody, vitals } from './support/sessions.js';
import { testEnv } from './support/test-env.js';

const api = '/api/v1';
const until = async (what: string, check: () => Promise<boolean>, ms = 20000): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

interface Backend {
  env: Record<string, string>;
  loseQueuedJobs(ds: DataSource): Promise<void>;
  stop(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'PostgreSQL',
    () =>
      Promise.resolve({
        env: {},
        // Wiping the job table under a running worker can deadlock with it: try again, as an operator would.
        loseQueuedJobs: async (ds) => {
          for (let i = 0; ; i++) {
            try {
              await ds.query('DELETE FROM bullmq.job');
              return;
            } catch (err) {
              if (i >= 10 || !/deadlock/i.test(String(err))) throw err;
              await new Promise((r) => setTimeout(r, 200));
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
      const redis = await startPrivateRedis();
      return { env: { REDIS_URL: redis.url }, loseQueuedJobs: async () => void (await redis.client.flushall()), stop: () => redis.stop() };
    },
  ]);
}

describe.each(backends)('alert escalation and vitals overdue survive a lost queue (%s backend)', (_name, makeBackend) => {
  let backend: Backend;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let t: TestApp;
  let s: Staff;
  beforeAll(async () => {
    backend = await makeBackend();
    db = await ownDatabase();
    t = await startTestApp({ ...backend.env, DATABASE_URL: db.url, SWEEPER_INTERVAL_SEC: '1', WORKER_EMBEDDED: 'true' });
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    await createUser(t.runtime.dataSource, s.clinic.id, 'anesthesiologist');
  });
  afterAll(async () => {
    await t.close();
    await backend.stop();
    await db.drop();
  });

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const q = <T>(sql: string, params: unknown[]) => t.runtime.dataSource.query<T>(sql, params);

  async function criticalAlert(): Promise<{ sessionId: string; alertId: string }> {
    const sessionId = await readySession(t.http, s);
    await post(`/sessions/${sessionId}/start`, s.token.nurse, startBody).expect(200);
    const res = await post(`/sessions/${sessionId}/vitals`, s.token.nurse, vitals({ systolic: 190, diastolic: 85 })).expect(201);
    return { sessionId, alertId: res.body.alerts[0].id as string };
  }

  it('a critical alert left unacknowledged escalates twice, exactly once each, after the queue lost its jobs', async () => {
    const { alertId } = await criticalAlert();
    const rows = await q<{ kind: string }[]>(`SELECT kind FROM pending_work WHERE subject_id = $1 AND status = 'pending' ORDER BY due_at`, [
      alertId,
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['escalate-alert-to-session', 'escalate-alert-to-all']);
    await backend.loseQueuedJobs(t.runtime.dataSource);
    // Time moves on: both escalations come due, in their order (had both come due at once, the
    // second alone would go out: telling everyone makes telling one redundant).
    await q(
      `UPDATE pending_work SET due_at = now() + CASE kind WHEN 'escalate-alert-to-session' THEN interval '500 milliseconds' ELSE interval '3 seconds' END
        WHERE subject_id = $1`,
      [alertId],
    );
    await until(
      'both escalations',
      async () =>
        (await q<{ n: number }[]>(`SELECT count(*)::int AS n FROM pending_work WHERE subject_id = $1 AND status = 'done'`, [alertId]))[0]
          .n === 2,
    );
    await new Promise((r) => setTimeout(r, 2500)); // a few more sweeps: nothing fires twice
    const events = await q<{ type: string; level: number }[]>(
      `SELECT type, (payload->>'escalationLevel')::int AS level FROM alert_events WHERE alert_id = $1 ORDER BY id`,
      [alertId],
    );
    expect(events).toEqual([
      { type: 'raised', level: 0 },
      { type: 'escalated', level: 1 },
      { type: 'escalated', level: 2 },
    ]);
    const mail = await q<{ recipient_user_id: string; subject: string; body: string }[]>(
      `SELECT recipient_user_id, subject, body FROM notifications WHERE clinic_id = $1 AND subject LIKE 'Vigil: critical alert unacknowledged%'`,
      [s.clinic.id],
    );
    // The email says who, where, what and when, as the anesthesiologist reads it: initials, chair, values, the clinic's time; no ids.
    const opened = new Date((await q<{ opened_at: Date }[]>(`SELECT opened_at FROM alerts WHERE id = $1`, [alertId]))[0].opened_at);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const m of mail) {
      expect(m.subject).toBe('Vigil: critical alert unacknowledged, A.S. in Chair 1');
      expect(m.body).toContain('BP 190/85: systolic BP 190 ≥ 180');
      expect(m.body).toContain(`Patient A.S., Chair 1, raised at ${local.format(opened)} (America/New_York)`);
      expect(m.body).not.toContain(alertId);
      expect(m.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
    expect(mail).toHaveLength(4);
  });

  it('acknowledging stops the escalation: it never fires', async () => {
    const { alertId } = await criticalAlert();
    await post(`/alerts/${alertId}/acknowledge`, s.token.anesthesiologist).expect(200);
    const pending = await q<{ status: string }[]>(`SELECT status FROM pending_work WHERE subject_id = $1`, [alertId]);
    expect(pending.map((p) => p.status)).toEqual(['cancelled', 'cancelled']);
    await new Promise((r) => setTimeout(r, 1500));
    const escalated = await q<{ n: number }[]>(`SELECT count(*)::int AS n FROM alert_events WHERE alert_id = $1 AND type = 'escalated'`, [
      alertId,
    ]);
    expect(escalated[0].n).toBe(0);
  });

  it('no reading for too long raises one "vitals overdue" warning; a reading moves the check on', async () => {
    const sessionId = await readySession(t.http, s);
    await post(`/sessions/${sessionId}/start`, s.token.nurse, startBody).expect(200);
    const [row] = await q<{ due_at: Date }[]>(
      `SELECT due_at FROM pending_work WHERE subject_id = $1 AND kind = 'vitals-overdue' AND status = 'pending'`,
      [sessionId],
    );
    // IV: a reading every 10 min while dosing, overdue 5 min later (clinical-rules.md section 3).
    expect(row.due_at.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    await post(`/sessions/${sessionId}/vitals`, s.token.nurse, vitals()).expect(201);
    const [moved] = await q<{ due_at: Date }[]>(
      `SELECT due_at FROM pending_work WHERE subject_id = $1 AND kind = 'vitals-overdue' AND status = 'pending'`,
      [sessionId],
    );
    expect(moved.due_at.getTime()).toBeGreaterThan(row.due_at.getTime() - 1000);
    await backend.loseQueuedJobs(t.runtime.dataSource);
    await q(`UPDATE pending_work SET due_at = now() WHERE subject_id = $1 AND kind = 'vitals-overdue' AND status = 'pending'`, [sessionId]);
    await until(
      'the overdue alert',
      async () =>
        (
          await q<{ n: number }[]>(`SELECT count(*)::int AS n FROM alerts WHERE session_id = $1 AND measure = 'vitals-overdue'`, [
            sessionId,
          ])
        )[0].n === 1,
    );
    const alert = await q<{ level: string; status: string }[]>(
      `SELECT level, status FROM alerts WHERE session_id = $1 AND measure = 'vitals-overdue'`,
      [sessionId],
    );
    expect(alert).toEqual([{ level: 'warning', status: 'open' }]);
  });
});

describe('the alert stream across API processes', () => {
  let one: TestApp;
  let two: TestApp;
  let s: Staff;
  let baseUrl: string;
  beforeAll(async () => {
    one = await startTestApp();
    two = await startTestApp();
    await two.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(two.app.getHttpServer().address() as AddressInfo).port}`;
    s = await clinicWithStaff(one.runtime.dataSource, one.http);
  });
  afterAll(async () => {
    await one.close();
    await two.close();
  });

  async function collect(token: string, lastEventId?: string) {
    const controller = new AbortController();
    const res = await fetch(`${baseUrl}${api}/alerts/stream`, {
      headers: { Authorization: `Bearer ${token}`, ...(lastEventId && { 'Last-Event-ID': lastEventId }) },
      signal: controller.signal,
    });
    const seen: { id: string; event: string; alertId: string }[] = [];
    const reader = res.body!.getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += new TextDecoder().decode(value);
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const f = Object.fromEntries(
              block
                .split('\n')
                .filter((l) => !l.startsWith(':'))
                .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
            );
            if (f['data']) seen.push({ id: f['id'], event: f['event'], alertId: (JSON.parse(f['data']) as { id: string }).id });
          }
        }
      } catch {
        // closed
      }
    })();
    return { seen, close: () => controller.abort() };
  }

  it('an alert raised through one API process reaches a stream client of another; Last-Event-ID replays what was missed', async () => {
    const client = await collect(s.token.anesthesiologist);
    const sessionId = await readySession(one.http, s);
    await one.http.post(`${api}/sessions/${sessionId}/start`).set(bearer(s.token.nurse)).send(startBody).expect(200);
    const res = await one.http
      .post(`${api}/sessions/${sessionId}/vitals`)
      .set(bearer(s.token.nurse))
      .send(vitals({ spo2: 85 }))
      .expect(201);
    const alertId = res.body.alerts[0].id as string;
    await until('the raised event on the other process', () =>
      Promise.resolve(client.seen.some((e) => e.alertId === alertId && e.event === 'raised')),
    );
    const raisedId = client.seen.find((e) => e.alertId === alertId)!.id;
    client.close();
    // While disconnected: acknowledged and resolved.
    await one.http.post(`${api}/alerts/${alertId}/acknowledge`).set(bearer(s.token.anesthesiologist)).expect(200);
    await one.http.post(`${api}/alerts/${alertId}/resolve`).set(bearer(s.token.anesthesiologist)).send({ note: 'oxygen 2 L' }).expect(200);
    const again = await collect(s.token.nurse, raisedId);
    await until('the replay', () => Promise.resolve(again.seen.filter((e) => e.alertId === alertId).length === 2));
    expect(again.seen.filter((e) => e.alertId === alertId).map((e) => e.event)).toEqual(['acknowledged', 'resolved']);
    again.close();
    const other = await clinicWithStaff(one.runtime.dataSource, one.http);
    const foreign = await collect(other.token.nurse, '0');
    await new Promise((r) => setTimeout(r, 500));
    expect(foreign.seen.filter((e) => e.alertId === alertId)).toEqual([]);
    foreign.close();
  });
});
