import { localParts, zonedTimeToUtc } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';

const api = '/api/v1';
const TZ = 'America/New_York'; // the factories' clinic zone

/** A weekday at least a week ahead, as the clinic's calendar date. */
function nextWednesday(): string {
  for (let d = 7; d < 15; d++) {
    const p = localParts(new Date(Date.now() + d * 86_400_000), TZ);
    if (p.weekday === 'wed') return p.date;
  }
  throw new Error('no Wednesday');
}

describe('a session knows its chair', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
  });
  afterAll(() => t.close());

  const post = (path: string, token: string, body: object = {}) => t.http.post(`${api}${path}`).set(bearer(token)).send(body);
  const chair = async (staff: Staff, name: string) => (await post('/chairs', staff.token.admin, { name }).expect(201)).body.id as string;
  const session = async (extra: Record<string, unknown> = {}) => {
    const p = await createPatient(t.http, a.token.nurse);
    return (await post('/sessions', a.token.nurse, { patientId: p.id, protocol: 'ketamine-iv-standard', ...extra }).expect(201)).body
      .id as string;
  };

  it('check-in with chairId: the session takes the chair and its name as label', async () => {
    const chairId = await chair(a, 'Chair 3');
    const s = await session();
    const res = await post(`/sessions/${s}/check-in`, a.token.nurse, { chairId }).expect(200);
    expect(res.body).toMatchObject({ status: 'checked_in', chairId, chairLabel: 'Chair 3' });
    const [audit] = await t.runtime.dataSource.query(
      `SELECT changes FROM audit_events WHERE resource_id = $1 AND action = 'session.check-in'`,
      [s],
    );
    expect(audit.changes).toMatchObject({ chairId, chairLabel: 'Chair 3' });
  });

  it('a chair holds one session in progress: a second check-in is 409 CHAIR_IN_USE until the first ends', async () => {
    const chairId = await chair(a, 'Chair 4');
    const first = await session();
    const second = await session();
    await post(`/sessions/${first}/check-in`, a.token.nurse, { chairId }).expect(200);
    const busy = await post(`/sessions/${second}/check-in`, a.token.nurse, { chairId }).expect(409);
    expect(busy.body).toMatchObject({ code: 'CHAIR_IN_USE', details: [expect.objectContaining({ field: 'chairId' })] });
    expect((await t.http.get(`${api}/sessions/${second}`).set(bearer(a.token.nurse)).expect(200)).body.status).toBe('scheduled');
    await post(`/sessions/${first}/cancel`, a.token.nurse, { reason: 'patient felt unwell' }).expect(200);
    await post(`/sessions/${second}/check-in`, a.token.nurse, { chairId }).expect(200);
  });

  it('refuses another clinic’s chair, an inactive one, and chairId with chairLabel, each naming the field', async () => {
    const theirs = await chair(b, 'Chair 1');
    const retired = await chair(a, 'Old chair');
    await t.http.patch(`${api}/chairs/${retired}`).set(bearer(a.token.admin)).send({ active: false }).expect(200);
    const s = await session();
    for (const chairId of [theirs, retired]) {
      const res = await post(`/sessions/${s}/check-in`, a.token.nurse, { chairId }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'chairId' })]);
    }
    const both = await post(`/sessions/${s}/check-in`, a.token.nurse, { chairId: retired, chairLabel: 'Chair 9' }).expect(400);
    expect(both.body.details).toEqual([expect.objectContaining({ field: 'chairLabel' })]);
    const res = await post(`/sessions/${s}/check-in`, a.token.nurse, { chairLabel: 'Recliner by the window' }).expect(200);
    expect(res.body).toMatchObject({ chairId: null, chairLabel: 'Recliner by the window' });
  });

  it('without a chair at check-in, the session takes its appointment’s chair', async () => {
    const chairId = await chair(a, 'Chair 5');
    const p = await createPatient(t.http, a.token.nurse);
    const startsAt = zonedTimeToUtc(nextWednesday(), '09:00', TZ).toISOString();
    const appointment = (
      await post('/appointments', a.token.admin, { patientId: p.id, chairId, protocol: 'ketamine-iv-standard', startsAt }).expect(201)
    ).body.id as string;
    const s = (
      await post('/sessions', a.token.nurse, { patientId: p.id, protocol: 'ketamine-iv-standard', appointmentId: appointment }).expect(201)
    ).body.id as string;
    const res = await post(`/sessions/${s}/check-in`, a.token.nurse, {}).expect(200);
    expect(res.body).toMatchObject({ chairId, chairLabel: 'Chair 5' });
  });
});
