import { JwtService } from '@nestjs/jwt';
import { AuditEvent, User, VigilConfig } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { PASSWORD, bearer, clinicWithStaff, createPatient, createUser, login, type Staff } from './support/factories.js';

/*
 * A login is one refresh-token family, and its access tokens name it (`sid`): ending the login
 * ends its access tokens at the next request, not when they expire. Two tabs refreshing at once
 * are not a theft. Idempotency keys belong to the user who sent them. A JSON body says each
 * field once.
 */

type Res = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

describe('logins: access tokens end with their login', () => {
  let t: TestApp;
  let staff: Staff;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    staff = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  const me = (token: string) => t.http.get('/api/v1/auth/me').set(bearer(token)) as unknown as Promise<Res>;
  const refresh = (refreshToken: string) => t.http.post('/api/v1/auth/refresh').send({ refreshToken }) as unknown as Promise<Res>;
  const deniedRows = (userId: string, reason: string) =>
    t.runtime.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action: 'auth.access', outcome: 'denied', resourceId: userId } })
      .then((rows) => rows.filter((r) => r.changes?.['reason'] === reason));

  it('after logout, that login’s access token is refused at once; another login of the same user still works', async () => {
    const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
    const [phone, desk] = [await login(t.http, user.email), await login(t.http, user.email)];
    expect((await me(phone.accessToken)).status).toBe(200);
    await t.http.post('/api/v1/auth/logout').send({ refreshToken: phone.refreshToken }).expect(204);
    const after = await me(phone.accessToken);
    expect({ status: after.status, code: after.body['code'] }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await me(desk.accessToken)).status).toBe(200);
    expect(await deniedRows(user.id, 'login_ended')).toHaveLength(1);
  });

  it('after a password change, every access token of the user is refused at once', async () => {
    const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
    const tokens = await login(t.http, user.email);
    expect((await me(tokens.accessToken)).status).toBe(200);
    await t.http
      .patch(`/api/v1/users/${user.id}`)
      .set(bearer(staff.token.admin))
      .send({ password: 'a brand new long password', version: 1 })
      .expect(200);
    expect((await me(tokens.accessToken)).status).toBe(401);
  });

  it('a reused refresh token ends the access tokens of that login too, the thief’s and the owner’s', async () => {
    const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
    const first = await login(t.http, user.email);
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    clock.advanceDays(31 / 86_400);
    expect((await refresh(first.refreshToken)).body['code']).toBe('REFRESH_TOKEN_REUSED');
    expect((await me(first.accessToken)).status).toBe(401);
    expect((await me(second.body['accessToken'] as string)).status).toBe(401);
  });

  it('another API process sees the ended login within a second', async () => {
    const other = await startTestApp({});
    try {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const tokens = await login(t.http, user.email);
      await other.http.get('/api/v1/auth/me').set(bearer(tokens.accessToken)).expect(200);
      await t.http.post('/api/v1/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
      await new Promise((r) => setTimeout(r, 1100));
      await other.http.get('/api/v1/auth/me').set(bearer(tokens.accessToken)).expect(401);
    } finally {
      await other.close();
    }
  });

  const claims = () => ({ sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'nurse', typ: 'access' });
  const sidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid?: string }).sid;

  it.each([
    ['without exp', { noTimestamp: false }, 'no_expiry'],
    ['living two hours', { expiresIn: 7200 }, 'lifetime_too_long'],
  ])('a genuine signature on a token %s is refused with 401 and audited', async (_label, options, reason) => {
    const sid = sidOf(staff.token.nurse);
    expect(sid).toEqual(expect.any(String));
    const token = t.app.get(JwtService).sign({ ...claims(), sid }, { algorithm: 'HS256', ...options });
    const res = await me(token);
    expect({ status: res.status, code: res.body['code'] }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const rows = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ requestId: res.headers['x-request-id'] });
    expect(rows).toEqual([expect.objectContaining({ outcome: 'denied', changes: expect.objectContaining({ reason, verified: true }) })]);
  });

  it('a genuine signature on a token that names no login is refused', async () => {
    const token = t.app.get(JwtService).sign(claims(), { algorithm: 'HS256', expiresIn: 60 });
    expect((await me(token)).status).toBe(401);
  });

  it('20 refreshes of one token at once (two tabs): every one answered, the login stays alive', async () => {
    const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
    const first = await login(t.http, user.email);
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(first.refreshToken)));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    for (const r of answers) expect((await me(r.body['accessToken'] as string)).status).toBe(200);
    expect((await refresh(answers[7].body['refreshToken'] as string)).status).toBe(200);
    const family = await t.runtime.dataSource.query<Array<{ n: number }>>(
      "SELECT count(DISTINCT family_id)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_reason IS DISTINCT FROM 'rotated'",
      [user.id],
    );
    expect(family[0].n).toBe(1);
    // Past the grace window, the same token again is a theft.
    clock.advanceDays((t.app.get(VigilConfig).REFRESH_REUSE_GRACE_SEC + 1) / 86_400);
    expect((await refresh(first.refreshToken)).body['code']).toBe('REFRESH_TOKEN_REUSED');
    expect((await me(answers[0].body['accessToken'] as string)).status).toBe(401);
  });

  it('an idempotency key belongs to the user who sent it: a colleague reusing it gets an answer of their own', async () => {
    const patient = await createPatient(t.http, staff.token.nurse);
    const body = { instrument: 'PHQ9', items: [1, 1, 1, 1, 1, 1, 1, 1, 0], administeredAt: clock.now().toISOString() };
    const key = `shared-${Date.now()}`;
    const send = (token: string) =>
      t.http.post(`/api/v1/patients/${patient.id}/assessments`).set(bearer(token)).set('Idempotency-Key', key).send(body);
    const nurse = await send(staff.token.nurse).expect(201);
    const doctor = await send(staff.token.anesthesiologist).expect(201);
    expect(doctor.headers['idempotent-replayed']).toBeUndefined();
    expect(doctor.body['id']).not.toBe(nurse.body['id']);
    // The nurse's own repeat is still a replay.
    const again = await send(staff.token.nurse).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body['id']).toBe(nurse.body['id']);
  });

  it('a JSON body naming a field twice is refused with 400 naming it, and nothing is created', async () => {
    const email = `dup-${Date.now()}@vigil.test`;
    const raw = `{"email":"${email}","name":"Dup","role":"nurse","password":"a long enough password","role":"admin"}`;
    const res = await t.http
      .post('/api/v1/users')
      .set(bearer(staff.token.admin))
      .set('Content-Type', 'application/json')
      .send(raw)
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'role', message: expect.stringMatching(/more than once/) }],
    });
    expect(await t.runtime.dataSource.getRepository(User).countBy({ email })).toBe(0);
    const nested = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":"a@vigil.test","password":"${PASSWORD}","x":[{"a":1},{"a":1,"b":{"c":1,"c":2}}]}`)
      .expect(400);
    expect(nested.body.details).toEqual([{ field: 'x[1].b.c', message: expect.stringMatching(/more than once/) }]);
  });
});
