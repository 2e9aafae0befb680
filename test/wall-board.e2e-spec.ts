import type { AddressInfo } from 'node:net';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { seat } from './support/floor.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { sessionAt, vitals } from './support/sessions.js';
import { openStream, until, type StreamClient } from './support/sse.js';

const api = '/api/v1';
const PATIENT = { firstName: 'Beatriz', lastName: 'Quintana', dateOfBirth: '1990-07-30' };

interface Tile {
  sessionId: string;
  chairLabel: string | null;
  patient: { initials: string; age: number };
  status: string;
  observation: { from: string | null; minimumMin: number; eligibleAt: string | null };
  vitals: Record<string, { value: number; measuredAt: string } | null> & { staleAfterMin: number; dueAt: string | null };
  trend: { t: number[]; systolic: (number | null)[]; heartRate: (number | null)[] };
  alerts: Array<{ id: string; level: string; status: string; acknowledgedBy: string | null }>;
}

/**
 * GET /board and GET /board/stream: the floor as the wall board page reads it (no names, chair
 * order, latest values with their age, the last hour, alerts and who acknowledged them), and the
 * stream that tells it, from any API process, when to read it again.
 */
describe('the wall board API', () => {
  let t: TestApp;
  let other: TestApp;
  let s: Staff;
  let elsewhere: Staff;
  let baseUrl: string;
  const clock = new MovableClock();
  const streams: StreamClient[] = [];
  const board = async (token = s.token.nurse) => {
    const res = await t.http.get(`${api}/board`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body as { clinic: { timeZone: string }; now: string; trendWindowMin: number; sessions: Tile[] };
  };
  const open = async (token: string, headers: Record<string, string> = {}) => {
    const c = await openStream(baseUrl, token, headers, `${api}/board/stream`);
    streams.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // Another API process on the same database: what it writes reaches this one's streams.
    other = await startTestApp();
    [s, elsewhere] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
  }, 60_000);
  afterEach(() => clock.reset());
  afterAll(async () => {
    for (const c of streams) c.close();
    await other.close();
    await t.close();
  });

  it('lists the active sessions in chair order with initials and age, and never a name or record number', async () => {
    const ten = await seat(t.http, s, 'Chair 10', 'dosing', PATIENT);
    const two = await seat(t.http, s, 'Chair 2', 'observation', { ...PATIENT, firstName: 'josé', lastName: 'núñez' });
    const scheduled = await sessionAt(t.http, s, 'scheduled');
    await sessionAt(t.http, elsewhere, 'dosing');
    const res = await t.http.get(`${api}/board`).set(bearer(s.token.anesthesiologist));
    expect(res.status).toBe(200);
    for (const secret of ['Quintana', 'Beatriz', 'núñez', 'MRN-']) expect(res.text).not.toContain(secret);
    const { clinic, sessions, trendWindowMin } = res.body as { clinic: { timeZone: string }; sessions: Tile[]; trendWindowMin: number };
    expect(clinic.timeZone).toBe('America/New_York');
    expect(trendWindowMin).toBe(60);
    expect(sessions.map((x) => [x.chairLabel, x.patient.initials, x.status])).toEqual([
      ['Chair 2', 'JN', 'observation'],
      ['Chair 10', 'BQ', 'dosing'],
    ]);
    expect(sessions.map((x) => x.sessionId)).not.toContain(scheduled);
    expect(sessions[1].sessionId).toBe(ten);
    expect(sessions[0].sessionId).toBe(two);
    const [observed] = sessions;
    // Ketamine IV: eligible for discharge 30 minutes after the end of dosing.
    expect(Date.parse(observed.observation.eligibleAt!) - Date.parse(observed.observation.from!)).toBe(30 * 60_000);
    expect(observed.vitals.staleAfterMin).toBe(15);
    expect(observed.vitals.dueAt).not.toBeNull();
  });

  it('gives each measure its latest value and time, the last hour as a trend, and the alerts with who acknowledged them', async () => {
    const id = await seat(t.http, s, 'Chair 4', 'dosing', PATIENT);
    const post = (values: Record<string, unknown>) =>
      t.http.post(`${api}/sessions/${id}/vitals`).set(bearer(s.token.nurse)).send(vitals(values)).expect(201);
    const hypertensive = await post({ systolic: 186, diastolic: 112 });
    await post({ systolic: null, diastolic: null, spo2: null, moaas: null, heartRate: 88 });
    const [alert] = hypertensive.body.alerts as Array<{ id: string }>;
    await t.http.post(`${api}/alerts/${alert.id}/acknowledge`).set(bearer(s.token.anesthesiologist)).expect(200);

    const tile = (await board()).sessions.find((x) => x.sessionId === id)!;
    expect(tile.vitals['systolic']).toEqual({ value: 186, measuredAt: hypertensive.body.reading.measuredAt });
    expect(tile.vitals['heartRate']!.value).toBe(88);
    expect(Date.parse(tile.vitals['heartRate']!.measuredAt)).toBeGreaterThan(Date.parse(tile.vitals['systolic']!.measuredAt));
    expect(tile.trend.systolic).toEqual([122, 186, null]);
    expect(tile.trend.heartRate).toEqual([72, 72, 88]);
    expect(tile.trend.t).toEqual([...tile.trend.t].sort());
    expect(tile.alerts).toEqual([
      expect.objectContaining({ id: alert.id, level: 'critical', status: 'acknowledged', acknowledgedBy: s.anesthesiologist.name }),
    ]);

    // An hour and a minute later the trend is empty; the latest values stay, with their time.
    clock.advanceDays(61 / (24 * 60));
    const later = (await board()).sessions.find((x) => x.sessionId === id)!;
    expect(later.trend.t).toEqual([]);
    expect(later.vitals['systolic']!.value).toBe(186);
  });

  it('is for nurses and anesthesiologists: 403 for an administrator, 401 without a token', async () => {
    expect((await t.http.get(`${api}/board`).set(bearer(s.token.admin))).status).toBe(403);
    expect((await t.http.get(`${api}/board`)).status).toBe(401);
    expect((await open(s.token.admin)).status).toBe(403);
  });

  it('streams "open" once listening, then "board" for readings and moves written by any API process, never another clinic’s', async () => {
    const id = await seat(t.http, s, 'Chair 7', 'dosing', PATIENT);
    const theirs = await sessionAt(t.http, elsewhere, 'dosing');
    const stream = await open(s.token.nurse);
    expect(stream.status).toBe(200);
    await until('the open event', () => stream.events.some((e) => e.event === 'open'), 5000);
    const boards = () => stream.events.filter((e) => e.event === 'board').length;

    await other.http.post(`${api}/sessions/${theirs}/vitals`).set(bearer(elsewhere.token.nurse)).send(vitals()).expect(201);
    await new Promise((r) => setTimeout(r, 500));
    expect(boards()).toBe(0);

    const sent = Date.now();
    await other.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(s.token.nurse))
      .send(vitals({ heartRate: 80 }))
      .expect(201);
    await until('a board event for the reading', () => boards() > 0, 2000);
    expect(Date.now() - sent).toBeLessThan(2000);
    const seen = boards();
    await other.http.post(`${api}/sessions/${id}/pause`).set(bearer(s.token.nurse)).send({ reason: 'patient asked' }).expect(200);
    await until('a board event for the pause', () => boards() > seen, 2000);
  });

  it('carries the alert events with their ids and replays those missed after Last-Event-ID', async () => {
    const id = await seat(t.http, s, 'Chair 8', 'dosing', PATIENT);
    const first = await open(s.token.nurse);
    await until('the open event', () => first.events.some((e) => e.event === 'open'), 5000);
    await t.http
      .post(`${api}/sessions/${id}/vitals`)
      .set(bearer(s.token.nurse))
      .send(vitals({ spo2: 85 }))
      .expect(201);
    await until('the raised event', () => first.events.some((e) => e.event === 'raised'), 2000);
    const raised = first.events.find((e) => e.event === 'raised')!;
    expect(raised.id).toMatch(/^\d+$/);
    expect(raised.data).toMatchObject({ sessionId: id, level: 'critical', status: 'open' });
    first.close();

    const before = String(BigInt(raised.id) - 1n);
    const again = await open(s.token.nurse, { 'Last-Event-ID': before });
    await until('the open event', () => again.events.some((e) => e.event === 'open'), 5000);
    const replayed = again.events.findIndex((e) => e.id === raised.id);
    expect(replayed).toBeGreaterThanOrEqual(0);
    expect(replayed).toBeLessThan(again.events.findIndex((e) => e.event === 'open'));
    expect((await open(s.token.nurse, { 'Last-Event-ID': 'yesterday' })).status).toBe(400);
  });
});
