import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { consentedPatient, sessionAt, startBody, vitals } from './support/sessions.js';

const api = '/api/v1';

/**
 * Readings posted at the same moment share a transaction (group commit). Whatever is grouped,
 * every request is answered, stored and audited as if it had come alone.
 */
describe('vitals ingest under concurrency', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let sessions: string[];
  let otherClinicSession: string;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
    sessions = [];
    for (let i = 0; i < 4; i++) sessions.push(await sessionAt(t.http, a, 'dosing'));
    otherClinicSession = await sessionAt(t.http, b, 'dosing');
  }, 60_000);
  afterAll(() => t.close());

  const post = (sessionId: string, body: object, requestId: string = randomUUID()) =>
    t.http.post(`${api}/sessions/${sessionId}/vitals`).set(bearer(a.token.nurse)).set('x-request-id', requestId).send(body);
  const count = async (sql: string, params: unknown[]) => Number((await t.runtime.dataSource.query<{ n: string }[]>(sql, params))[0].n);
  const readings = (ids: string[]) => count(`SELECT count(*) n FROM vital_readings WHERE session_id = ANY($1)`, [ids]);
  const audits = (requestIds: string[]) =>
    // The id a client sends is kept as its claim, beside Vigil's own request id.
    count(`SELECT count(*) n FROM audit_events WHERE action = 'session.vitals.record' AND claimed_request_id = ANY($1)`, [requestIds]);
  const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

  it('40 readings posted at once to 4 sessions: each stored once, answered with its own reading and audited under its own request', async () => {
    const before = await readings(sessions);
    const requestIds: string[] = Array.from({ length: 40 }, () => randomUUID());
    const res = await Promise.all(
      requestIds.map((rid, i) =>
        post(sessions[i % 4], vitals({ source: 'device', deviceId: `monitor-${i % 4}`, measuredAt: at(60 - i), systolic: 120 + i }), rid),
      ),
    );
    expect(res.map((r) => r.status)).toEqual(requestIds.map(() => 201));
    res.forEach((r, i) => {
      expect(r.body.reading).toMatchObject({ sessionId: sessions[i % 4], systolic: 120 + i, duplicate: false });
    });
    // Each answered under a request id of its own.
    expect(new Set(res.map((r) => r.headers['x-request-id'])).size).toBe(40);
    expect(new Set(res.map((r) => r.body.reading.id)).size).toBe(40);
    expect(await readings(sessions)).toBe(before + 40);
    const rows = await t.runtime.dataSource.query<
      { request_id: string; claimed_request_id: string; resource_id: string; changes: { count: number; first: string } }[]
    >(
      `SELECT request_id, claimed_request_id, resource_id, changes FROM audit_events
        WHERE action = 'session.vitals.record' AND claimed_request_id = ANY($1)`,
      [requestIds],
    );
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      const i = requestIds.indexOf(row.claimed_request_id);
      expect(row.request_id).toBe(res[i].headers['x-request-id']);
      expect(row.resource_id).toBe(sessions[i % 4]);
      expect(row.changes).toMatchObject({ count: 1, first: res[i].body.reading.id });
    }
  });

  it('a refused reading among concurrent ones is answered alone, writes nothing, and fails none of the others', async () => {
    const before = await readings([...sessions, otherClinicSession]);
    const bodies = Array.from({ length: 20 }, (_, i) => ({
      sessionId: sessions[i % 4],
      body: vitals({ measuredAt: at(30 - i) }),
      expected: 201,
    }));
    bodies[5] = { sessionId: sessions[1], body: vitals({ measuredAt: new Date(Date.now() + 3_600_000).toISOString() }), expected: 400 };
    bodies[11] = { sessionId: otherClinicSession, body: vitals(), expected: 404 };
    bodies[16] = { sessionId: sessions[0], body: vitals({ systolic: 70, diastolic: 90 }), expected: 400 };
    const requestIds = bodies.map(() => randomUUID());
    const res = await Promise.all(bodies.map((x, i) => post(x.sessionId, x.body, requestIds[i])));
    expect(res.map((r) => r.status)).toEqual(bodies.map((x) => x.expected));
    expect(res[5].body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(res[5].body)).toContain('measuredAt');
    expect(JSON.stringify(res[16].body)).toContain('systolic');
    expect(await readings([...sessions, otherClinicSession])).toBe(before + 17);
    expect(await audits(requestIds)).toBe(17);
    expect(await audits([requestIds[5], requestIds[11], requestIds[16]])).toBe(0);
  });

  it('critical readings posted at once all join the one alert, and every answer names it', async () => {
    const s = sessions[2];
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(s, vitals({ measuredAt: at(20 - i), systolic: 185 + i, diastolic: 95 }))),
    );
    expect(res.map((r) => r.status)).toEqual(res.map(() => 201));
    const alerts = await t.runtime.dataSource.query<{ id: string; reading_count: number; last_reading_id: string }[]>(
      `SELECT id, reading_count, last_reading_id FROM alerts WHERE session_id = $1 AND measure = 'blood-pressure' AND level = 'critical' AND status = 'open'`,
      [s],
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0].reading_count).toBe(10);
    expect(await count(`SELECT count(*) n FROM alert_readings WHERE alert_id = $1`, [alerts[0].id])).toBe(10);
    for (const r of res) expect(r.body.alerts.map((x: { id: string }) => x.id)).toContain(alerts[0].id);
    // Raised once: one "raised" event on the stream, not ten.
    expect(await count(`SELECT count(*) n FROM alert_events WHERE alert_id = $1 AND type = 'raised'`, [alerts[0].id])).toBe(1);
  });

  it('a monitor resending one reading many times at once: stored once, the others answered as duplicates', async () => {
    const s = sessions[3];
    const before = await readings([s]);
    const body = vitals({ source: 'device', deviceId: 'monitor-resend', measuredAt: at(5) });
    const requestIds = Array.from({ length: 10 }, () => randomUUID());
    const res = await Promise.all(requestIds.map((rid) => post(s, body, rid)));
    expect(res.map((r) => r.status)).toEqual(res.map(() => 201));
    expect(res.filter((r) => !r.body.reading.duplicate)).toHaveLength(1);
    expect(new Set(res.map((r) => r.body.reading.id)).size).toBe(1);
    expect(await readings([s])).toBe(before + 1);
    expect(await audits(requestIds)).toBe(1);
  });
  it("readings of sessions posted at once are each judged on their own session: the patient's thresholds, the baseline, the pre-dose MOAA/S", async () => {
    const patient = await consentedPatient(t.http, a);
    await t.http
      .put(`${api}/patients/${patient}/thresholds`)
      .set(bearer(a.token.anesthesiologist))
      .send({ thresholds: { systolic: { high: { warning: 170 } } }, reason: 'chronic hypertension, stable' })
      .expect(200);
    const ownThresholds = await sessionAt(t.http, a, 'dosing', { patientId: patient, baseline: { systolic: 135, diastolic: 80 } });
    const clinicThresholds = await sessionAt(t.http, a, 'dosing', { baseline: { systolic: 110, diastolic: 78 } });
    // A baseline without MOAA/S: the sedation drop is judged from the latest pre-dose MOAA/S charted after it.
    const noBaselineMoaas = await sessionAt(t.http, a, 'ready', { baseline: { moaas: undefined } });
    const onlyMoaas = { systolic: undefined, diastolic: undefined, heartRate: undefined, spo2: undefined };
    await post(noBaselineMoaas, vitals({ ...onlyMoaas, moaas: 5 })).expect(201);
    await t.http.post(`${api}/sessions/${noBaselineMoaas}/start`).set(bearer(a.token.nurse)).send(startBody).expect(200);

    const [own, clinic, sedated] = await Promise.all([
      post(ownThresholds, vitals({ systolic: 165, diastolic: 80 })),
      post(clinicThresholds, vitals({ systolic: 155, diastolic: 80 })),
      post(noBaselineMoaas, vitals({ moaas: 4 })),
    ]);
    // 165 is under this patient's 170 (and 30 above the baseline: under the rise of 40).
    expect(own.status).toBe(201);
    expect(own.body.alerts).toEqual([]);
    // 155 is under the clinic's 160, and 45 above this session's baseline of 110.
    expect(clinic.body.reading.breaches.map((b: { measure: string; rule: string }) => [b.measure, b.rule])).toEqual([['systolic', 'rise']]);
    expect(clinic.body.alerts.map((x: { measure: string; level: string }) => [x.measure, x.level])).toEqual([
      ['blood-pressure', 'warning'],
    ]);
    expect(sedated.body.alerts.map((x: { measure: string; level: string }) => [x.measure, x.level])).toEqual([['moaas', 'warning']]);
    expect(sedated.body.alerts[0].message).toBe('MOAA/S 4 dropped from the pre-dose 5');
  });
  it('device warnings posted at once to two sessions: each waits for a run of its own device on its own session', async () => {
    const [first, second] = [await sessionAt(t.http, a, 'dosing'), await sessionAt(t.http, a, 'dosing')];
    const warning = (deviceId: string, secondsAhead: number) =>
      vitals({ source: 'device', deviceId, systolic: 165, measuredAt: at(-secondsAhead) });
    for (const [s, device] of [
      [first, 'monitor-a'],
      [second, 'monitor-b'],
    ])
      expect((await post(s, warning(device, 0)).expect(201)).body.alerts).toEqual([]);
    // The first session's monitor warns again: a run. The second's warning comes from another monitor: none.
    const [run, noRun] = await Promise.all([post(first, warning('monitor-a', 30)), post(second, warning('monitor-c', 30))]);
    expect(run.body.alerts).toEqual([expect.objectContaining({ measure: 'blood-pressure', level: 'warning' })]);
    expect(noRun.status).toBe(201);
    expect(noRun.body.alerts).toEqual([]);
  });
});
