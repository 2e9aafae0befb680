import { QueryFailedError } from 'typeorm';
import { AuditEvent, AuditService, TransactionRunner, User } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';

describe('users, tenancy and the audit trail', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
    b = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const newUser = (email: string) => ({ email, name: 'Pat Nurse', role: 'nurse', password: 'a long enough password' });

  it('an admin creates a user of its clinic, with the audit row written alongside', async () => {
    const res = await t.http.post('/api/v1/users').set(bearer(a.token.admin)).send(newUser('pat@vigil.test')).expect(201);
    expect(res.body).toMatchObject({ email: 'pat@vigil.test', role: 'nurse', clinicId: a.clinic.id, active: true, version: 1 });
    expect(res.body.password).toBeUndefined();
    const audit = await t.runtime.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'user.create', resourceId: res.body.id });
    expect(audit).toMatchObject({ actorUserId: a.admin.id, actorRole: 'admin', clinicId: a.clinic.id, outcome: 'success' });
    expect(audit.requestId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(audit.changes)).not.toContain('a long enough password');
  });

  it('refuses a duplicate email with 409 and writes nothing', async () => {
    await t.http.post('/api/v1/users').set(bearer(a.token.admin)).send(newUser('dup@vigil.test')).expect(201);
    const before = await t.runtime.dataSource.getRepository(AuditEvent).countBy({ action: 'user.create' });
    const res = await t.http.post('/api/v1/users').set(bearer(b.token.admin)).send(newUser('DUP@vigil.test')).expect(409);
    expect(res.body.code).toBe('DUPLICATE_KEY');
    expect(await t.runtime.dataSource.getRepository(AuditEvent).countBy({ action: 'user.create' })).toBe(before);
  });

  it('only admins manage users: 403 for nurses and anesthesiologists, 401 without a token', async () => {
    for (const role of ['nurse', 'anesthesiologist'] as const) {
      const res = await t.http.get('/api/v1/users').set(bearer(a.token[role])).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const res = await t.http.get('/api/v1/users').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it("another clinic's user answers 404, exactly as a missing one", async () => {
    const other = await t.http.get(`/api/v1/users/${b.nurse.id}`).set(bearer(a.token.admin)).expect(404);
    const missing = await t.http.get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(bearer(a.token.admin)).expect(404);
    expect(other.body.code).toBe('NOT_FOUND');
    expect(other.body.message).toBe(missing.body.message);
    await t.http.patch(`/api/v1/users/${b.nurse.id}`).set(bearer(a.token.admin)).send({ name: 'x', version: 1 }).expect(404);
    const list = await t.http.get('/api/v1/users?limit=200').set(bearer(a.token.admin)).expect(200);
    expect(list.body.items.every((u: { clinicId: string }) => u.clinicId === a.clinic.id)).toBe(true);
  });

  it('pages through users with a cursor', async () => {
    const staff = await clinicWithStaff(t.runtime.dataSource, t.http);
    for (let i = 0; i < 3; i++)
      await t.http
        .post('/api/v1/users')
        .set(bearer(staff.token.admin))
        .send(newUser(`page${i}-${staff.clinic.id}@vigil.test`))
        .expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http
        .get(`/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(staff.token.admin))
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const bad = await t.http.get('/api/v1/users?cursor=nonsense').set(bearer(staff.token.admin)).expect(400);
    expect(bad.body.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('sign-in attempts are not edits: an edit with the version read before a mistyped password and a login still applies', async () => {
    const created = await t.http.post('/api/v1/users').set(bearer(a.token.admin)).send(newUser('signin@vigil.test')).expect(201);
    const read = await t.http.get(`/api/v1/users/${created.body.id}`).set(bearer(a.token.admin)).expect(200);
    await t.http.post('/api/v1/auth/login').send({ email: 'signin@vigil.test', password: 'not the password at all' }).expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'signin@vigil.test', password: newUser('signin@vigil.test').password })
      .expect(200);
    const edited = await t.http
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(a.token.admin))
      .send({ name: 'Renamed', version: read.body.version })
      .expect(200);
    expect(edited.body).toMatchObject({ name: 'Renamed', version: read.body.version + 1 });
  });

  it('edits a user with optimistic versioning: a stale version answers 409 STALE_VERSION', async () => {
    const created = await t.http.post('/api/v1/users').set(bearer(a.token.admin)).send(newUser('ver@vigil.test')).expect(201);
    const ok = await t.http
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(a.token.admin))
      .send({ role: 'anesthesiologist', version: 1 })
      .expect(200);
    expect(ok.body).toMatchObject({ role: 'anesthesiologist', version: 2 });
    const stale = await t.http
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(a.token.admin))
      .send({ name: 'Late', version: 1 })
      .expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const audit = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .findOneByOrFail({ action: 'user.update', resourceId: created.body.id });
    expect(audit.changes).toMatchObject({ before: { role: 'nurse' }, after: { role: 'anesthesiologist' } });
  });

  it('an admin cannot deactivate itself', async () => {
    const res = await t.http
      .patch(`/api/v1/users/${a.admin.id}`)
      .set(bearer(a.token.admin))
      .send({ active: false, version: 1 })
      .expect(409);
    expect(res.body.code).toBe('CONFLICT');
  });

  it('GET /audit shows the clinic its own trail only, newest first, filtered', async () => {
    const res = await t.http.get(`/api/v1/audit?action=auth.login&actorUserId=${a.nurse.id}`).set(bearer(a.token.admin)).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(
      res.body.items.every((e: { action: string; actorUserId: string }) => e.action === 'auth.login' && e.actorUserId === a.nurse.id),
    ).toBe(true);
    const other = await t.http.get(`/api/v1/audit?actorUserId=${a.nurse.id}`).set(bearer(b.token.admin)).expect(200);
    expect(other.body.items).toEqual([]);
    const all = await t.http.get('/api/v1/audit?limit=200').set(bearer(a.token.admin)).expect(200);
    const times = all.body.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    await t.http.get('/api/v1/audit').set(bearer(a.token.nurse)).expect(403);
  });

  it('PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the audit trail', async () => {
    const ds = t.runtime.dataSource;
    await expect(ds.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_events`)).rejects.toBeInstanceOf(QueryFailedError);
    expect(await ds.getRepository(AuditEvent).count()).toBeGreaterThan(0);
  });

  it('an audit row rolls back with the change it records', async () => {
    const transactions = t.app.get(TransactionRunner);
    const audit = t.app.get(AuditService);
    await expect(
      transactions.run(async (tx) => {
        await tx.manager.update(User, { id: a.nurse.id }, { name: 'Never saved' });
        await audit.record(tx, {
          action: 'test.rollback',
          resourceType: 'user',
          resourceId: a.nurse.id,
          clinicId: a.clinic.id,
          actor: null,
        });
        throw new Error('the change fails after its audit row was written');
      }),
    ).rejects.toThrow('the change fails');
    expect(await t.runtime.dataSource.getRepository(AuditEvent).countBy({ action: 'test.rollback' })).toBe(0);
    expect((await t.runtime.dataSource.getRepository(User).findOneByOrFail({ id: a.nurse.id })).name).not.toBe('Never saved');
  });
});
