import type { AddressInfo } from 'node:net';
import { AuditEvent } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, login, PASSWORD, type Staff } from './support/factories.js';
import { openStream, until } from './support/sse.js';

const api = '/api/v1';
const NEW_PASSWORD = 'a brand new passphrase 2026';

/*
 * Passwords as staff and administrators handle them: a user changes their own (their other logins
 * and streams end, this one goes on); an administrator resets another's to a temporary one the
 * user must change before doing anything else, and lifts the login back-off of a throttled
 * account. Each is audited with the change.
 */
describe('passwords: change your own, reset another, unlock a throttled account', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
  });
  afterAll(() => t.close());

  const audits = (action: string, resourceId: string) => t.runtime.dataSource.getRepository(AuditEvent).findBy({ action, resourceId });
  const changeOwn = (token: string, body: object) => t.http.post(`${api}/auth/password`).set(bearer(token)).send(body);

  it('GET /auth/me names the clinic: id, name and time zone', async () => {
    const me = await t.http.get(`${api}/auth/me`).set(bearer(a.token.nurse)).expect(200);
    expect(me.body).toMatchObject({ id: a.nurse.id, passwordChangeRequired: false });
    expect(me.body.clinic).toEqual({ id: a.clinic.id, name: a.clinic.name, timeZone: 'America/New_York' });
  });

  it('a nurse changes her own password: this login goes on, her other logins and streams end, the old password stops working', async () => {
    const nurse = await createUser(t.runtime.dataSource, a.clinic.id, 'nurse');
    const here = await login(t.http, nurse.email);
    const elsewhere = await login(t.http, nurse.email);
    const stream = await openStream(baseUrl, elsewhere.accessToken);
    expect(stream.status).toBe(200);

    const wrong = await changeOwn(here.accessToken, { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD }).expect(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    const short = await changeOwn(here.accessToken, { currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
    expect(short.body.details).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    const same = await changeOwn(here.accessToken, { currentPassword: PASSWORD, newPassword: PASSWORD }).expect(400);
    expect(same.body.details).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    await login(t.http, nurse.email);

    await changeOwn(here.accessToken, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
    await t.http.get(`${api}/auth/me`).set(bearer(here.accessToken)).expect(200);
    await t.http.post(`${api}/auth/refresh`).send({ refreshToken: here.refreshToken }).expect(200);
    await t.http.get(`${api}/auth/me`).set(bearer(elsewhere.accessToken)).expect(401);
    await t.http.post(`${api}/auth/refresh`).send({ refreshToken: elsewhere.refreshToken }).expect(401);
    await until('the other login’s stream to end', () => stream.ended, 5000);
    expect(stream.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'account_changed' } });
    await t.http.post(`${api}/auth/login`).send({ email: nurse.email, password: PASSWORD }).expect(401);
    await login(t.http, nurse.email, NEW_PASSWORD);

    const rows = await audits('user.password-change', nurse.id);
    expect(rows.map((r) => r.outcome).sort()).toEqual(['failure', 'success']);
    expect(JSON.stringify(rows)).not.toContain(NEW_PASSWORD);
  });

  it('wrong current passwords count as failed logins: the back-off holds the change as it holds a login', async () => {
    const nurse = await createUser(t.runtime.dataSource, a.clinic.id, 'nurse');
    const { accessToken } = await login(t.http, nurse.email);
    for (let i = 0; i < 5; i++)
      await changeOwn(accessToken, { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD }).expect(400);
    const held = await changeOwn(accessToken, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(429);
    expect(held.body.code).toBe('RATE_LIMITED');
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('an administrator resets a nurse’s password to a temporary one: her logins end, and she must change it before anything else', async () => {
    const nurse = await createUser(t.runtime.dataSource, a.clinic.id, 'nurse');
    const before = await login(t.http, nurse.email);
    await t.http.post(`${api}/users/${nurse.id}/reset-password`).set(bearer(a.token.nurse)).expect(403);
    await t.http.post(`${api}/users/${nurse.id}/reset-password`).set(bearer(b.token.admin)).expect(404);
    const self = await t.http.post(`${api}/users/${a.admin.id}/reset-password`).set(bearer(a.token.admin)).expect(409);
    expect(self.body.message).toMatch(/auth\/password/);

    const reset = await t.http.post(`${api}/users/${nurse.id}/reset-password`).set(bearer(a.token.admin)).expect(200);
    const temporary = reset.body.temporaryPassword as string;
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    expect(reset.body.user).toMatchObject({ id: nurse.id, passwordChangeRequired: true });
    await t.http.get(`${api}/auth/me`).set(bearer(before.accessToken)).expect(401);
    await t.http.post(`${api}/auth/login`).send({ email: nurse.email, password: PASSWORD }).expect(401);

    const fresh = await login(t.http, nurse.email, temporary);
    expect((fresh as unknown as { user: { passwordChangeRequired: boolean } }).user.passwordChangeRequired).toBe(true);
    const blocked = await t.http.get(`${api}/patients`).set(bearer(fresh.accessToken)).expect(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await t.http.get(`${api}/auth/me`).set(bearer(fresh.accessToken)).expect(200);
    await changeOwn(fresh.accessToken, { currentPassword: temporary, newPassword: NEW_PASSWORD }).expect(204);
    await t.http.get(`${api}/patients`).set(bearer(fresh.accessToken)).expect(200);
    const me = await t.http.get(`${api}/auth/me`).set(bearer(fresh.accessToken)).expect(200);
    expect(me.body.passwordChangeRequired).toBe(false);

    const [row] = await audits('user.password-reset', nurse.id);
    expect(row).toMatchObject({ actorUserId: a.admin.id, outcome: 'success', requestId: reset.headers['x-request-id'] });
    expect(JSON.stringify(row.changes)).not.toContain(temporary);
  });

  it('an administrator unlocks an account held back by wrong passwords, and the user signs in at once', async () => {
    const nurse = await createUser(t.runtime.dataSource, a.clinic.id, 'nurse');
    for (let i = 0; i < 5; i++)
      await t.http
        .post(`${api}/auth/login`)
        .send({ email: nurse.email, password: `wrong ${i}` })
        .expect(401);
    await t.http.post(`${api}/auth/login`).send({ email: nurse.email, password: PASSWORD }).expect(429);
    await t.http.post(`${api}/users/${nurse.id}/unlock`).set(bearer(a.token.anesthesiologist)).expect(403);
    await t.http.post(`${api}/users/${nurse.id}/unlock`).set(bearer(b.token.admin)).expect(404);

    const unlocked = await t.http.post(`${api}/users/${nurse.id}/unlock`).set(bearer(a.token.admin)).expect(200);
    expect(unlocked.body).toMatchObject({ userId: nurse.id, clearedAddresses: 1 });
    expect(Date.parse(unlocked.body.heldBackUntil as string)).toBeGreaterThan(Date.now());
    await login(t.http, nurse.email);
    const [row] = await audits('user.unlock', nurse.id);
    expect(row).toMatchObject({ actorUserId: a.admin.id, outcome: 'success', changes: expect.objectContaining({ clearedAddresses: 1 }) });
  });
});
