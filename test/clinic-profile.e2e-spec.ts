import { AuditEvent } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { nextTuesday } from './support/route-fixtures.js';
import { consentedPatient } from './support/sessions.js';

const api = '/api/v1';

/*
 * The clinic's profile: its name and time zone, edited by administrators. Opening hours, calendar
 * days, series times and reminders are all read in the zone, so a new zone is refused while a
 * future booking would fall at another local time; a zone that keeps every booking where it is
 * (another name for the same rules) is taken.
 */
describe('the clinic profile: name and time zone', () => {
  let t: TestApp;
  let a: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const profile = async () => (await t.http.get(`${api}/clinic`).set(bearer(a.token.admin)).expect(200)).body as Record<string, unknown>;
  const edit = (body: object) => t.http.patch(`${api}/clinic`).set(bearer(a.token.admin)).send(body);

  it('an administrator reads and renames the clinic, with version, audited; other roles may not', async () => {
    const before = await profile();
    expect(before).toMatchObject({ id: a.clinic.id, name: a.clinic.name, timeZone: 'America/New_York', version: 1 });
    for (const role of ['nurse', 'anesthesiologist'] as const) {
      await t.http.get(`${api}/clinic`).set(bearer(a.token[role])).expect(403);
      await t.http.patch(`${api}/clinic`).set(bearer(a.token[role])).send({ name: 'Mine', version: 1 }).expect(403);
    }
    const renamed = await edit({ name: '  Harbor Ketamine Clinic ', version: 1 }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Harbor Ketamine Clinic', version: 2 });
    const stale = await edit({ name: 'Harbor Clinic', version: 1 }).expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const me = await t.http.get(`${api}/auth/me`).set(bearer(a.token.nurse)).expect(200);
    expect(me.body.clinic.name).toBe('Harbor Ketamine Clinic');
    const [row] = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ action: 'clinic.update', resourceId: a.clinic.id });
    expect(row.changes).toMatchObject({ before: { name: a.clinic.name }, after: { name: 'Harbor Ketamine Clinic' } });
  });

  it('a time zone must be an IANA zone, a name must not be empty, and version is required: 400 naming each', async () => {
    const { version } = await profile();
    const bad = await edit({ timeZone: 'Mars/Olympus_Mons', version }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'timeZone' })]);
    const empty = await edit({ name: '   ', version }).expect(400);
    expect(empty.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
    const unversioned = await edit({ name: 'Harbor' }).expect(400);
    expect(new Set(unversioned.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['version']));
    expect((await profile()).version).toBe(version);
  });

  it('a new zone is refused while future bookings would move (409 naming how many and the first), taken once none would', async () => {
    const chair = await t.http.post(`${api}/chairs`).set(bearer(a.token.admin)).send({ name: 'Chair 1' }).expect(201);
    const { startsAt } = nextTuesday('America/New_York');
    const patientId = await consentedPatient(t.http, a);
    const booked = await t.http
      .post(`${api}/appointments`)
      .set(bearer(a.token.admin))
      .send({ patientId, chairId: chair.body.id, protocol: 'ketamine-iv-standard', startsAt })
      .expect(201);

    const { version } = await profile();
    const refused = await edit({ timeZone: 'America/Chicago', version }).expect(409);
    expect(refused.body.code).toBe('BOOKINGS_WOULD_MOVE');
    expect(refused.body.message).toMatch(/^1 future booking /);
    expect(refused.body.details).toEqual([
      expect.objectContaining({ appointmentId: booked.body.id, startsAt, message: expect.stringMatching(/10:00 .* 09:00/) }),
    ]);
    expect((await profile()).timeZone).toBe('America/New_York');

    // Another name for the same rules moves nothing.
    const alias = await edit({ timeZone: 'US/Eastern', version }).expect(200);
    expect(alias.body.timeZone).toBe('US/Eastern');

    await t.http.post(`${api}/appointments/${booked.body.id}/cancel`).set(bearer(a.token.admin)).send({ reason: 'moving' }).expect(200);
    const moved = await edit({ timeZone: 'America/Chicago', version: alias.body.version }).expect(200);
    expect(moved.body).toMatchObject({ timeZone: 'America/Chicago', version: (alias.body.version as number) + 1 });
    const me = await t.http.get(`${api}/auth/me`).set(bearer(a.token.nurse)).expect(200);
    expect(me.body.clinic.timeZone).toBe('America/Chicago');
  });
});
