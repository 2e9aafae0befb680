import { randomBytes } from 'node:crypto';
import { AuditEvent, RefreshToken } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { PASSWORD, bearer, clinicWithStaff, createClinic, createUser, login } from './support/factories.js';

describe('auth: login, refresh rotation, back-off', () => {
  let t: TestApp;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({}, { clock });
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  it('logs in with email and password and answers who I am', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const res = await t.http.post('/api/v1/auth/login').send({ email: staff.nurse.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ id: staff.nurse.id, role: 'nurse', clinicId: staff.clinic.id });
    expect(res.body.user.passwordHash).toBeUndefined();
    const me = await t.http.get('/api/v1/auth/me').set(bearer(res.body.accessToken)).expect(200);
    expect(me.body.email).toBe(staff.nurse.email);
    const audit = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'auth.login', resourceId: staff.nurse.id, outcome: 'success' });
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS, and an unknown email the same way', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const wrong = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'not the password' }).expect(401);
    const unknown = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@vigil.test', password: 'x' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.body.message).toBe(unknown.body.message);
    const failures = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'auth.login', resourceId: user.id, outcome: 'failure' });
    expect(failures).toHaveLength(1);
  });

  it('after five failed logins in a row from one address, that address waits (429 RATE_LIMITED, Retry-After) even with the right password', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'anesthesiologist');
    for (let i = 1; i <= 5; i++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: `wrong ${i}` })
        .expect(401);
    }
    const right = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(429);
    expect(right.body.code).toBe('RATE_LIMITED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(25);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(30);
    const lock = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.lock', resourceId: user.id });
    expect(lock).toEqual([
      expect.objectContaining({ outcome: 'failure', changes: expect.objectContaining({ reason: 'backoff', failures: 5 }) }),
    ]);
    // Once the wait has passed, the right password works again.
    await t.runtime.dataSource.query(`UPDATE login_throttle SET wait_until = now() - interval '1 second' WHERE email = $1`, [user.email]);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
  });

  it('failed logins sent at the same moment all count towards the back-off', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => t.http.post('/api/v1/auth/login').send({ email: user.email, password: `wrong ${i}` })),
    );
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(429);
  });

  it('a successful login resets the failure count', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    for (let i = 0; i < 4; i++) await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'nope' }).expect(401);
    await login(t.http, user.email);
    for (let i = 0; i < 4; i++) await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'nope' }).expect(401);
    await login(t.http, user.email);
  });

  it('rotates refresh tokens: each works once, and a reused one revokes the whole family', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const first = await login(t.http, user.email);
    const second = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    await t.http.get('/api/v1/auth/me').set(bearer(second.body.accessToken)).expect(200);
    // The first token again, past the grace window of a second tab: someone else has it. Both it and its successor stop working.
    clock.advanceDays(31 / 86_400);
    const reuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    const afterReuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    expect(afterReuse.body.code).toBe('REFRESH_TOKEN_INVALID');
    const family = await t.runtime.dataSource.getRepository(RefreshToken).findBy({ userId: user.id });
    expect(family.every((r) => r.revokedAt !== null)).toBe(true);
    expect(family.map((r) => r.revokedReason).sort()).toEqual(['reused', 'rotated']);
  });

  it('stores only a hash of the refresh token', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const tokens = await login(t.http, user.email);
    const [, secret] = tokens.refreshToken.split('.');
    const row = await t.runtime.dataSource.getRepository(RefreshToken).findOneByOrFail({ userId: user.id });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(secret);
  });

  it('refuses a forged, malformed or logged-out refresh token', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const user = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const tokens = await login(t.http, user.email);
    const [id] = tokens.refreshToken.split('.');
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: `${id}.${randomBytes(32).toString('base64url')}` })
      .expect(401);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'garbage' }).expect(401);
    await t.http.post('/api/v1/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
  });

  it('refuses a deactivated account at login and at refresh', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const nurseTokens = await login(t.http, staff.nurse.email);
    await t.http.patch(`/api/v1/users/${staff.nurse.id}`).set(bearer(staff.token.admin)).send({ active: false, version: 1 }).expect(200);
    const res = await t.http.post('/api/v1/auth/login').send({ email: staff.nurse.email, password: PASSWORD }).expect(401);
    expect(res.body.code).toBe('ACCOUNT_INACTIVE');
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: nurseTokens.refreshToken }).expect(401);
  });

  it('a deactivated account or a changed role takes effect at once, not when the access token expires', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const second = await createUser(t.runtime.dataSource, staff.clinic.id, 'admin');
    const secondToken = (await login(t.http, second.email)).accessToken;
    await t.http.get('/api/v1/users').set(bearer(secondToken)).expect(200);
    await t.http.patch(`/api/v1/users/${second.id}`).set(bearer(staff.token.admin)).send({ role: 'nurse', version: 1 }).expect(200);
    // A new role ends the user's logins, their access tokens with them: the next login carries the new role.
    await t.http.get('/api/v1/users').set(bearer(secondToken)).expect(401);
    await t.http
      .get('/api/v1/users')
      .set(bearer((await login(t.http, second.email)).accessToken))
      .expect(403);
    await t.http.patch(`/api/v1/users/${staff.nurse.id}`).set(bearer(staff.token.admin)).send({ active: false, version: 1 }).expect(200);
    const res = await t.http.get('/api/v1/auth/me').set(bearer(staff.token.nurse)).expect(401);
    expect(res.body.code).toBe('ACCOUNT_INACTIVE');
  });

  it('refuses an expired or tampered access token', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    const tampered = staff.token.nurse.slice(0, -4) + 'AAAA';
    const res = await t.http.get('/api/v1/auth/me').set(bearer(tampered)).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    const { JwtService } = await import('@nestjs/jwt');
    const expired = t.app
      .get(JwtService)
      .sign({ sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'nurse', typ: 'access' }, { expiresIn: -10 });
    const old = await t.http.get('/api/v1/auth/me').set(bearer(expired)).expect(401);
    expect(old.body.code).toBe('TOKEN_EXPIRED');
  });
});

describe('auth: login rate limit per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MIN: '3', TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED once an address has tried too often within a minute', async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody@vigil.test', password: 'x' }).expect(401);
    }
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ email: 'nobody@vigil.test', password: 'x' })
      .expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(res.headers['retry-after']).toBe('60');
    // Another address is not affected.
    await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ email: 'nobody@vigil.test', password: 'x' })
      .expect(401);
  });
});
