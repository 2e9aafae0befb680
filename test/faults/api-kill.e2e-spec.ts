import { ownDatabase, startTestApp, testConfigEnv, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, type Staff } from '../support/factories.js';
import { dosingSessions, loadRun, sleep } from '../support/load.js';
import { spawnApi, type VigilProcess } from '../support/processes.js';
import { vitals } from '../support/sessions.js';
import { testEnv } from '../support/test-env.js';

const withRedis = testEnv.redisUrl() ? describe : describe.skip;
const SESSIONS = 6;

/**
 * The API runs as a real process; nurses' tablets and monitors fire readings and session
 * transitions at it, and it is SIGKILLed while they are in flight. PostgreSQL must hold only whole
 * units of work: each transition with its timeline event and audit row, each reading with its audit
 * row and (if it breached) its alert, and every write the API acknowledged.
 */
withRedis('API process SIGKILLed mid-request', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let t: TestApp;
  let api: VigilProcess & { url: string };
  let s: Staff;
  const sessions: string[] = [];
  beforeAll(async () => {
    db = await ownDatabase();
    const env = testConfigEnv({ REDIS_URL: testEnv.redisUrl()!, DATABASE_URL: db.url });
    t = await startTestApp(env); // migrates the database and sets the clinic up
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
    sessions.push(...(await dosingSessions(t.http, s, SESSIONS)));
    api = await spawnApi(env);
  }, 90_000);
  afterAll(async () => {
    await api?.kill();
    await t?.close();
    await db?.drop();
  });

  const q = <T>(sql: string, params: unknown[] = []) => t.runtime.dataSource.query<T>(sql, params);

  it('leaves no partial transition or reading: every unit of work is whole, and every acknowledged one is there', async () => {
    const send = async (path: string, body: object) => {
      const res = await fetch(`${api.url}/api/v1${path}`, {
        method: 'POST',
        headers: { ...bearer(s.token.nurse), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as { code?: string; reading?: { id: string } };
      return { status: res.status, code: answer.code ?? answer.reading?.id };
    };
    // Per session: one tablet pausing and resuming, two monitors posting readings (every third breaches).
    const load = loadRun(SESSIONS * 3, (w, i) => {
      const sessionId = sessions[w % SESSIONS];
      if (w < SESSIONS) {
        const verb = i % 2 === 0 ? 'pause' : 'resume';
        return {
          what: { verb, sessionId },
          send: () => send(`/sessions/${sessionId}/${verb}`, verb === 'pause' ? { reason: 'patient asked' } : {}),
        };
      }
      return {
        what: { verb: 'vitals', sessionId },
        send: () => send(`/sessions/${sessionId}/vitals`, vitals({ systolic: i % 3 === 0 ? 185 : 128 })),
      };
    });
    await sleep(2500);
    await api.kill('SIGKILL');
    const answers = await load.stop();
    const acknowledged = answers.filter((a) => a.status === 200 || a.status === 201);
    const cut = answers.filter((a) => a.status === 0);
    process.stdout.write(
      `api kill: ${JSON.stringify({ requests: answers.length, acknowledged: acknowledged.length, inFlight: cut.length })}\n`,
    );
    expect(cut.length).toBeGreaterThan(0); // the kill really caught requests in flight
    expect(acknowledged.length).toBeGreaterThan(SESSIONS * 2);

    // Transitions: the timeline of each session is one unbroken chain ending at its status, one audit row per event.
    const chains = await q<{ id: string; status: string; events: Array<{ type: string; from: string; to: string }>; audits: string[] }[]>(
      `SELECT s.id, s.status,
              (SELECT json_agg(json_build_object('type', e.type, 'from', e.from_status, 'to', e.to_status) ORDER BY e.occurred_at, e.id)
                 FROM session_events e WHERE e.session_id = s.id AND e.type IN ('pause', 'resume')) AS events,
              (SELECT coalesce(json_agg(a.action ORDER BY a.occurred_at), '[]') FROM audit_events a
                WHERE a.resource_id = s.id::text AND a.action IN ('session.pause', 'session.resume')) AS audits
         FROM sessions s WHERE s.id = ANY($1)`,
      [sessions],
    );
    for (const c of chains) {
      const events = c.events ?? [];
      let at = 'dosing';
      for (const e of events) {
        expect(e.from).toBe(at);
        at = e.to;
      }
      expect(c.status).toBe(at);
      expect([...c.audits].sort()).toEqual(events.map((e) => `session.${e.type}`).sort());
    }
    const acknowledgedTransitions = acknowledged.filter((a) => a.what.verb !== 'vitals').length;
    expect(chains.reduce((n, c) => n + (c.events ?? []).length, 0)).toBeGreaterThanOrEqual(acknowledgedTransitions);

    // Readings: each acknowledged one stored; each stored one counted by an audit row; each breaching one in an alert.
    const readingIds = acknowledged.filter((a) => a.what.verb === 'vitals').map((a) => a.code);
    const stored = await q<{ n: number }[]>(`SELECT count(*)::int AS n FROM vital_readings WHERE id = ANY($1::uuid[])`, [readingIds]);
    expect(stored[0].n).toBe(readingIds.length);
    const perSession = await q<{ readings: number; audited: number; unalerted: number }[]>(
      `SELECT (SELECT count(*)::int FROM vital_readings r WHERE r.session_id = s.id) AS readings,
              (SELECT coalesce(sum((a.changes->>'count')::int), 0)::int FROM audit_events a
                WHERE a.resource_id = s.id::text AND a.action = 'session.vitals.record') AS audited,
              (SELECT count(*)::int FROM vital_readings r WHERE r.session_id = s.id AND r.breach_level <> 'none'
                  AND NOT EXISTS (SELECT 1 FROM alert_readings ar WHERE ar.reading_id = r.id)) AS unalerted
         FROM sessions s WHERE s.id = ANY($1)`,
      [sessions],
    );
    expect(perSession.map((p) => p.audited)).toEqual(perSession.map((p) => p.readings));
    expect(perSession.map((p) => p.unalerted)).toEqual(perSession.map(() => 0));
    // Alerts: each raised with its event and its audit trail.
    const alertsWithoutEvent = await q<{ id: string }[]>(
      `SELECT a.id FROM alerts a WHERE a.session_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.alert_id = a.id AND e.type = 'raised')`,
      [sessions],
    );
    expect(alertsWithoutEvent).toEqual([]);
  }, 90_000);
});
