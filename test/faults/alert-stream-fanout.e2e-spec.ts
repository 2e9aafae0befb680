import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, type Staff } from '../support/factories.js';
import { sessionAt, vitals } from '../support/sessions.js';
import { until } from '../support/sse.js';
import { StreamCrowd } from '../support/stream-crowd.js';

const api = '/api/v1';
/** Open streams in one clinic; ALERT_STREAM_FAULT_STREAMS=1500 reproduces the load that once refused emergencies. */
const STREAMS = Number(process.env['ALERT_STREAM_FAULT_STREAMS'] ?? 1000);
const SESSIONS = 8;

/**
 * Many clients stream one clinic's alerts from one API process (with the small pool of the tests)
 * while emergencies and vitals are written: each write answers without 503, each alert is
 * stored, and every open stream receives every event. Each clinic's new events are read once per
 * notification on the streams' own connection, so the streams never take the writes' connections.
 * The stream clients run in a process of their own, as a clinic's screens do.
 */
describe(`${STREAMS} alert streams in one clinic while alerts are raised`, () => {
  let t: TestApp;
  let s: Staff;
  let baseUrl: string;
  let crowd: StreamCrowd;
  let opened = 0;
  beforeAll(async () => {
    crowd = StreamCrowd.start();
    // Every stream comes from one process on this machine: lift the per-address connection cap (a reverse proxy's case).
    t = await startTestApp({
      ALERT_STREAMS_PER_USER: String(STREAMS),
      ALERT_STREAMS_PER_PROCESS: String(STREAMS),
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  }, 60_000);
  afterAll(async () => {
    crowd.close();
    // Each hang-up is audited after the fact; the app stays up until every one is written.
    const closed = async () => {
      const [{ n }] = await t.runtime.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_events WHERE clinic_id = $1 AND action = 'alert.stream.close'`,
        [s.clinic.id],
      );
      return n >= opened;
    };
    if (opened > 0) await until('every hang-up to be audited', closed, 50_000);
    await t.close();
  }, 60_000);

  it('every write answers, every alert is stored, every stream gets every event', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(await sessionAt(t.http, s, 'dosing'));
    const [{ max }] = await t.runtime.dataSource.query<Array<{ max: string }>>(
      'SELECT COALESCE(MAX(id), 0)::text AS max FROM alert_events WHERE clinic_id = $1',
      [s.clinic.id],
    );
    const statuses = await crowd.open(`${baseUrl}/api/v1/alerts/stream`, s.token.nurse, { 'Last-Event-ID': max }, STREAMS);
    opened = statuses.length;
    expect(statuses.filter((x) => x !== 200)).toEqual([]);
    const writes = await Promise.all(
      sessions.flatMap((id) => [
        t.http
          .post(`${api}/sessions/${id}/emergency`)
          .set(bearer(s.token.nurse))
          .send({ symptoms: ['chest-pain'] }),
        t.http
          .post(`${api}/sessions/${id}/vitals`)
          .set(bearer(s.token.nurse))
          .send(vitals({ spo2: 85 })),
        t.http.get(`${api}/sessions/${id}`).set(bearer(s.token.nurse)),
      ]),
    );
    expect(writes.map((r) => r.status).filter((x) => x >= 500)).toEqual([]);
    const emergencies = writes.filter((_r, i) => i % 3 === 0);
    expect(emergencies.map((r) => r.status)).toEqual(sessions.map(() => 201));
    const stored = await t.runtime.dataSource.query<Array<{ id: string }>>(
      `SELECT e.id::text AS id FROM alert_events e WHERE e.clinic_id = $1 AND e.id > $2 ORDER BY e.id`,
      [s.clinic.id, max],
    );
    const alerts = await t.runtime.dataSource.query<Array<{ n: string }>>(
      `SELECT count(*)::text AS n FROM alerts WHERE session_id = ANY($1::uuid[]) AND measure = 'emergency'`,
      [sessions],
    );
    expect(alerts[0].n).toBe(String(SESSIONS));
    const expected = stored.map((e) => e.id);
    expect(expected.length).toBeGreaterThanOrEqual(SESSIONS);
    const sequences = async () => (await crowd.report()).sequences;
    const everyEvent = async () => Object.keys(await sequences()).every((ids) => (JSON.parse(ids) as string[]).length >= expected.length);
    await until('every stream to receive every event', everyEvent, 60_000);
    const report = await crowd.report();
    expect(report.sequences).toEqual({ [JSON.stringify(expected)]: STREAMS });
    expect(report.ended).toBe(0);
  }, 240_000);
});
