import { randomUUID } from 'node:crypto';
import { MllpListener } from '../apps/api/src/hl7/mllp-listener.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { oru } from './support/hl7-samples.js';
import { exchange, framed } from './support/mllp.js';
import { expectPagingRefusals } from './support/paging.js';
import { randomEui64 } from './support/route-fixtures.js';
import { sessionAt } from './support/sessions.js';

const api = '/api/v1';
const hl7Time = (at: Date) => {
  const iso = at.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
};

describe('unbound monitor readings: listed for nurses, attached to the right session or discarded', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ HL7_MLLP_PORT: '0', HL7_MLLP_HOST: '127.0.0.1' });
    port = t.app.get(MllpListener).address()!.port;
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const get = (path: string, token: string) => t.http.get(`${api}${path}`).set(bearer(token));

  /** A monitor at a chair with no session in progress sends SpO2 85 (critical) and heart rate 118: kept unbound. */
  async function unboundFromMonitor(): Promise<{ chairId: string; eui: string; id: string }> {
    const chairId = (await post('/chairs', a.token.admin, { name: `Chair ${randomUUID().slice(0, 6)}` }).expect(201)).body.id as string;
    const eui = randomEui64();
    await post('/monitors', a.token.admin, { name: `Monitor ${eui}`, chairId, eui64: eui }).expect(201);
    const at = hl7Time(new Date(Date.now() - 5000));
    const message = oru({
      controlId: `C-${randomUUID()}`,
      at,
      eui64: eui,
      rows: [
        ['150456^MDC_PULS_OXIM_SAT_O2', '85', '262688^MDC_DIM_PERCENT', at],
        ['147842^MDC_ECG_HEART_RATE', '118', '264864^MDC_DIM_BEAT_PER_MIN', at],
      ],
    });
    expect((await exchange(port, framed(message), { expect: 1 })).acks[0].MSA[1]).toBe('AA');
    const [row] = await t.runtime.dataSource.query<Array<{ id: string }>>(`SELECT id FROM unbound_readings WHERE device_id = $1`, [eui]);
    return { chairId, eui, id: row.id };
  }

  it('a nurse attaches it to the session now in that chair: charted as the device reading it is, judged and alarmed, audited; once', async () => {
    const { chairId, eui, id } = await unboundFromMonitor();
    const list = await get('/unbound-readings', a.token.nurse).expect(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ id, status: 'open', reason: 'no-session', chairId, deviceId: eui, values: { spo2: 85, heartRate: 118 } }),
    );
    await get('/unbound-readings', a.token.admin).expect(403);
    expect((await get('/unbound-readings', b.token.nurse).expect(200)).body.items.map((u: { id: string }) => u.id)).not.toContain(id);

    const sessionId = await sessionAt(t.http, a, 'checked_in', { chairId });
    const attached = await post(`/unbound-readings/${id}/attach`, a.token.nurse, { sessionId }).expect(200);
    expect(attached.body.unbound).toMatchObject({ id, status: 'attached', sessionId, resolvedBy: a.nurse.id });
    expect(attached.body.reading).toMatchObject({
      sessionId,
      source: 'device',
      deviceId: eui,
      spo2: 85,
      heartRate: 118,
      recordedBy: a.nurse.id,
    });
    expect(attached.body.alerts).toContainEqual(expect.objectContaining({ measure: 'spo2', level: 'critical' }));
    const audit = await t.runtime.dataSource.query(
      `SELECT actor_user_id, changes FROM audit_events WHERE action = 'monitor.unbound.attach' AND resource_id = $1`,
      [id],
    );
    expect(audit).toEqual([
      { actor_user_id: a.nurse.id, changes: expect.objectContaining({ sessionId, readingId: attached.body.reading.id }) },
    ]);

    const again = await post(`/unbound-readings/${id}/attach`, a.token.nurse, { sessionId }).expect(409);
    expect(again.body.code).toBe('UNBOUND_READING_RESOLVED');
    expect(
      (await get('/unbound-readings?status=attached', a.token.anesthesiologist).expect(200)).body.items.map((u: { id: string }) => u.id),
    ).toContain(id);
    expect((await get('/unbound-readings', a.token.nurse).expect(200)).body.items.map((u: { id: string }) => u.id)).not.toContain(id);
  });

  it('refuses another clinic’s session (400 naming sessionId) and another clinic’s reading (404); a discarded one stays discarded, with its reason', async () => {
    const { id } = await unboundFromMonitor();
    const theirs = await sessionAt(t.http, b, 'checked_in');
    const wrong = await post(`/unbound-readings/${id}/attach`, a.token.nurse, { sessionId: theirs }).expect(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'sessionId' })]);
    await post(`/unbound-readings/${id}/discard`, b.token.nurse, { reason: 'not ours' }).expect(404);
    await post(`/unbound-readings/${id}/discard`, a.token.admin, { reason: 'not mine to say' }).expect(403);
    const discarded = await post(`/unbound-readings/${id}/discard`, a.token.nurse, {
      reason: 'monitor tested before the patient sat down',
    }).expect(200);
    expect(discarded.body).toMatchObject({
      status: 'discarded',
      resolveReason: 'monitor tested before the patient sat down',
      resolvedBy: a.nurse.id,
    });
    const mine = await sessionAt(t.http, a, 'checked_in');
    expect((await post(`/unbound-readings/${id}/attach`, a.token.nurse, { sessionId: mine }).expect(409)).body.code).toBe(
      'UNBOUND_READING_RESOLVED',
    );
    expect(await t.runtime.dataSource.query(`SELECT count(*)::int AS n FROM vital_readings WHERE session_id = $1`, [mine])).toEqual([
      { n: 0 },
    ]);
    await expectPagingRefusals(t.http, `${api}/unbound-readings`, a.token.nurse);
  });
  it('a message from a monitor known by its bed location: a reading measured before the session in its chair checked in is kept unbound, the next one is charted', async () => {
    const chairId = (await post('/chairs', a.token.admin, { name: `Chair ${randomUUID().slice(0, 6)}` }).expect(201)).body.id as string;
    const location = `INFUSION^^BED-${randomUUID().slice(0, 8).toUpperCase()}^VIGIL_MAIN`;
    const monitorId = (await post('/monitors', a.token.admin, { name: `Bed monitor ${location}`, chairId, location }).expect(201)).body.id;
    const sessionId = await sessionAt(t.http, a, 'checked_in', { chairId });
    // The EUI-64 the message names is no registered monitor's: the monitor is the one at its PV1-3 location.
    const eui = randomEui64();
    const [before, after] = [hl7Time(new Date(Date.now() - 60_000)), hl7Time(new Date(Date.now() + 2000))];
    const message = oru({
      controlId: `C-${randomUUID()}`,
      at: after,
      eui64: eui,
      location,
      rows: [
        ['147842^MDC_ECG_HEART_RATE', '90', '264864^MDC_DIM_BEAT_PER_MIN', after],
        ['147842^MDC_ECG_HEART_RATE', '80', '264864^MDC_DIM_BEAT_PER_MIN', before],
      ],
    });
    expect((await exchange(port, framed(message), { expect: 1 })).acks[0].MSA[1]).toBe('AA');
    const q = (sql: string) => t.runtime.dataSource.query(sql, [sessionId, eui]);
    expect(await q(`SELECT heart_rate, device_id FROM vital_readings WHERE session_id = $1 AND device_id = $2`)).toEqual([
      { heart_rate: 90, device_id: eui },
    ]);
    const unbound = await t.runtime.dataSource.query(`SELECT reason, monitor_id, "values" FROM unbound_readings WHERE device_id = $1`, [
      eui,
    ]);
    expect(unbound).toEqual([{ reason: 'no-session', monitor_id: monitorId, values: { heartRate: 80 } }]);
  });
});
