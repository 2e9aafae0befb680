import { AuditEvent, AuditService } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { sessionAt } from './support/sessions.js';

/** The trail records what was refused, not only what was done: 403, 404, 409 and 422 answers, sign-in floods coalesced. */
describe('the audit trail records refusals', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const rowsOf = (requestId: string) => t.runtime.dataSource.getRepository(AuditEvent).findBy({ requestId });
  const refusalOf = async (res: { headers: Record<string, string> }) => {
    const rows = await rowsOf(res.headers['x-request-id']);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it.each([
    ['GET', '/api/v1/audit', 'nurse'],
    ['POST', '/api/v1/users', 'anesthesiologist'],
  ] as const)('a 403 at %s %s leaves a denied row with the actor, route and code', async (method, path, role) => {
    const call = method === 'GET' ? t.http.get(path) : t.http.post(path).send({});
    const res = await call.set(bearer(a.token[role])).expect(403);
    expect(await refusalOf(res)).toMatchObject({
      action: 'http.refused',
      outcome: 'denied',
      clinicId: a.clinic.id,
      actorUserId: a[role].id,
      actorRole: role,
      changes: { status: 403, code: 'FORBIDDEN', method, route: path },
    });
  });

  it('a nurse acknowledging a critical alert is refused and the refusal is on the trail', async () => {
    const sessionId = await sessionAt(t.http, a, 'dosing');
    const alert = await t.http
      .post(`/api/v1/sessions/${sessionId}/emergency`)
      .set(bearer(a.token.nurse))
      .send({ symptoms: ['sudden-severe-headache'] })
      .expect(201);
    const res = await t.http.post(`/api/v1/alerts/${alert.body.id}/acknowledge`).set(bearer(a.token.nurse));
    expect(res.status).toBe(403);
    expect(await refusalOf(res)).toMatchObject({
      outcome: 'denied',
      actorUserId: a.nurse.id,
      resourceType: 'alerts',
      resourceId: alert.body.id,
      changes: { status: 403, route: '/api/v1/alerts/:id/acknowledge' },
    });
  });

  it("a 404 on another clinic's id is recorded under the caller's clinic, with the id asked for", async () => {
    const res = await t.http.get(`/api/v1/users/${b.nurse.id}`).set(bearer(a.token.admin)).expect(404);
    expect(await refusalOf(res)).toMatchObject({
      outcome: 'denied',
      clinicId: a.clinic.id,
      actorUserId: a.admin.id,
      resourceType: 'users',
      resourceId: b.nurse.id,
      changes: { status: 404, code: 'NOT_FOUND' },
    });
  });

  it('a 409 refusal leaves a failure row although its business transaction rolled back', async () => {
    const user = { email: `dup-${Date.now()}@vigil.test`, name: 'Pat', role: 'nurse', password: 'a long enough password' };
    await t.http.post('/api/v1/users').set(bearer(a.token.admin)).send(user).expect(201);
    const res = await t.http.post('/api/v1/users').set(bearer(a.token.admin)).send(user).expect(409);
    expect(await refusalOf(res)).toMatchObject({ outcome: 'failure', changes: { status: 409, code: 'DUPLICATE_KEY' } });
  });

  it('a flood of identical refusals writes its first row and one summary row', async () => {
    const audit = t.app.get(AuditService);
    const before = await t.runtime.dataSource.getRepository(AuditEvent).countBy({ action: 'http.refused', actorUserId: a.nurse.id });
    for (let i = 0; i < 30; i++) await t.http.get('/api/v1/users').set(bearer(a.token.nurse)).expect(403);
    await audit.flushRefusals(true);
    const rows = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action: 'http.refused', actorUserId: a.nurse.id }, order: { occurredAt: 'ASC' } });
    const added = rows.slice(before);
    expect(added).toHaveLength(2);
    expect(added[1].changes).toMatchObject({ route: '/api/v1/users', repeated: 29 });
  });

  it("a caller's X-Request-Id is kept as claimed, next to Vigil's own id", async () => {
    const res = await t.http.get('/api/v1/audit').set('X-Request-Id', 'forged-id-1').set(bearer(a.token.nurse)).expect(403);
    const own = res.headers['x-request-id'];
    expect(own).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(own);
    const row = await refusalOf(res);
    expect(row.claimedRequestId).toBe('forged-id-1');
    expect(await rowsOf('forged-id-1')).toEqual([]);
  });
});

describe('refused sign-ins are coalesced', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MIN: '5', TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  it('200 refused sign-ins from one address write a bounded number of rows', async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < 200; i++)
      await t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody@vigil.test', password: 'x' });
    await t.app.get(AuditService).flushRefusals(true);
    const rows = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ ip, action: 'auth.login' });
    expect(rows.length).toBeLessThanOrEqual(5 + 2);
    const summary = rows.find((r) => r.changes?.['repeated'] !== undefined);
    expect(summary?.changes).toMatchObject({ reason: 'rate_limited', email: 'nobody@vigil.test', repeated: 200 - 5 - 1 });
  });
});
