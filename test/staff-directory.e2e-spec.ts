import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, type Staff } from './support/factories.js';
import { expectPagingRefusals, walkPages } from './support/paging.js';
import { sessionAt } from './support/sessions.js';

const api = '/api/v1';

/*
 * Nurses must name an anesthesiologist at check-in and on a REMS enrollment, and a chair when
 * they seat a patient: they read the clinic's active staff (names and roles, nothing else) and
 * its chairs, without the administrators' user management.
 */
describe('the staff directory and the chairs, for clinical staff', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
  });
  afterAll(() => t.close());

  it('a nurse finds the active anesthesiologists by role (id, name and role only) and checks a patient in with one', async () => {
    const ds = t.runtime.dataSource;
    const second = await createUser(ds, a.clinic.id, 'anesthesiologist', { name: 'Dr Ines Prado' });
    const retired = await createUser(ds, a.clinic.id, 'anesthesiologist', { active: false });
    const res = await t.http.get(`${api}/staff?role=anesthesiologist`).set(bearer(a.token.nurse)).expect(200);
    const items = res.body.items as Array<Record<string, unknown>>;
    expect(items.map((u) => u['id']).sort()).toEqual([a.anesthesiologist.id, second.id].sort());
    expect(items.find((u) => u['id'] === second.id)).toEqual({ id: second.id, name: 'Dr Ines Prado', role: 'anesthesiologist' });
    expect(res.text).not.toContain(retired.id);
    expect(res.text).not.toContain(b.anesthesiologist.id);
    expect(res.text).not.toContain('@vigil.test');

    const sessionId = await sessionAt(t.http, a, 'scheduled');
    const checkIn = await t.http
      .post(`${api}/sessions/${sessionId}/check-in`)
      .set(bearer(a.token.nurse))
      .send({ anesthesiologistUserId: second.id })
      .expect(200);
    expect(checkIn.body.anesthesiologistUserId).toBe(second.id);
  });

  it('every clinical role reads the whole staff list, paged; a bad role or cursor is a 400 naming it', async () => {
    for (const role of ['nurse', 'anesthesiologist', 'admin'] as const) {
      const all = await walkPages<{ id: string; role: string }>(t.http, `${api}/staff`, a.token[role], 1);
      expect(all.map((u) => u.id).sort()).toEqual(expect.arrayContaining([a.nurse.id, a.admin.id, a.anesthesiologist.id]));
    }
    const nurses = await t.http.get(`${api}/staff?role=nurse`).set(bearer(a.token.anesthesiologist)).expect(200);
    expect(nurses.body.items.map((u: { role: string }) => u.role)).toEqual(['nurse']);
    const bad = await t.http.get(`${api}/staff?role=surgeon`).set(bearer(a.token.nurse)).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
    await expectPagingRefusals(t.http, `${api}/staff`, a.token.nurse);
  });

  it('nurses and anesthesiologists read the chairs; only administrators add or retire them', async () => {
    const chair = await t.http.post(`${api}/chairs`).set(bearer(a.token.admin)).send({ name: 'Recliner 3' }).expect(201);
    for (const role of ['nurse', 'anesthesiologist'] as const) {
      const res = await t.http.get(`${api}/chairs`).set(bearer(a.token[role])).expect(200);
      expect(res.body.items).toEqual([{ id: chair.body.id, name: 'Recliner 3', active: true }]);
      await t.http.post(`${api}/chairs`).set(bearer(a.token[role])).send({ name: 'Recliner 4' }).expect(403);
      await t.http.patch(`${api}/chairs/${chair.body.id}`).set(bearer(a.token[role])).send({ active: false }).expect(403);
    }
    const theirs = await t.http.get(`${api}/chairs`).set(bearer(b.token.nurse)).expect(200);
    expect(theirs.text).not.toContain(chair.body.id);
  });
});
