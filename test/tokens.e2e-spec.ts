import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { AuditEvent, AuditService, RefreshToken, User, VigilConfig } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, testConfigEnv, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, login, type Staff } from './support/factories.js';

/*
 * Forged, unsigned, expired and replayed tokens. test/auth.e2e-spec.ts already covers a flipped
 * signature and an expired token on GET /auth/me, and the family revocation on refresh reuse;
 * this file covers the forgeries that try to become someone else, refusals on writes, and the
 * audit trail of the refusals: one `denied` row per refusal, named by its reason, holding no part
 * of the token, and identical refusals from one address coalesced into a count.
 *
 * Refusals are coalesced per reason and client address, so each request here comes from an
 * address of its own (X-Forwarded-For, trusted in this app) unless a test is about coalescing.
 */

const SECRET = testConfigEnv()['JWT_SECRET'];
const OTHER_SECRET = 'not-the-secret-0123456789abcdef0123456789';
const SHAPE = ['code', 'details', 'message', 'requestId', 'statusCode'];

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const partsOf = (token: string) => {
  const [header, payload, signature] = token.split('.');
  return { header, payload, signature };
};
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(partsOf(token).payload, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A JWT signed with HMAC (`sha256` for HS256, …) under `secret`. */
function hmacToken(hash: 'sha256' | 'sha384' | 'sha512', secret: string, header: object, payload: object): string {
  const signed = `${b64(header)}.${b64(payload)}`;
  return `${signed}.${createHmac(hash, secret).update(signed).digest('base64url')}`;
}

let addresses = 0;
/** A client address no other request of this file has used. */
const newAddress = () => {
  addresses += 1;
  return `10.${(process.pid % 200) + 1}.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

/** Days to move the clock past the grace window in which a refreshed token is answered again (another tab). */
const PAST_GRACE = 31 / 86_400;

type Res = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

describe('tokens: forged, unsigned, expired and replayed tokens are refused', () => {
  let t: TestApp;
  let staff: Staff;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: '1' }, { clock });
    staff = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  const expect401 = (res: Res, code: string) => {
    expect({ status: res.status, code: res.body['code'] }).toEqual({ status: 401, code });
    expect(Object.keys(res.body).sort()).toEqual(SHAPE);
    expect(res.body['requestId']).toBe(res.headers['x-request-id']);
  };

  const q = <T>(sql: string, params: unknown[]) => t.runtime.dataSource.query<T[]>(sql, params);
  const clinicTrail = async (clinicId: string) =>
    (await q<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE clinic_id = $1', [clinicId]))[0].n;
  const rowsOf = (res: Res) => t.runtime.dataSource.getRepository(AuditEvent).findBy({ requestId: res.headers['x-request-id'] });

  /** What the refusal's row must say; `verified` rows are filed under the user and clinic, the others under nobody. */
  interface Expected {
    action: 'auth.access' | 'auth.refresh';
    reason: string;
    verified: boolean;
    userId?: string;
    actorUserId?: string | null;
    method: string;
    path: string;
    claimed?: Record<string, unknown>;
  }

  /**
   * Runs `send` from an address of its own and checks that the refusal answered 401 `code` and
   * wrote exactly one audit row (nothing else for the request, nothing else in the clinic's trail)
   * as `expected` says, holding no part of `token`.
   */
  async function refusedAndAudited(
    send: (address: string) => Promise<Res>,
    token: string,
    code: string,
    expected: Expected,
  ): Promise<{ res: Res; row: AuditEvent }> {
    const before = await clinicTrail(staff.clinic.id);
    const address = newAddress();
    const res = await send(address);
    expect401(res, code);
    const rows = await rowsOf(res);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const filed = expected.verified && expected.userId;
    expect(row).toMatchObject({
      action: expected.action,
      outcome: 'denied',
      resourceType: 'user',
      resourceId: filed ? expected.userId : null,
      clinicId: filed ? staff.clinic.id : null,
      actorUserId: expected.actorUserId ?? null,
      requestId: res.headers['x-request-id'],
      ip: address,
      changes: { reason: expected.reason, verified: expected.verified, method: expected.method, path: expected.path },
    });
    expect(row.changes?.['claimed']).toEqual(expected.claimed);
    expect(await clinicTrail(staff.clinic.id)).toBe(before + (filed ? 1 : 0));
    const stored = JSON.stringify(row);
    for (const part of [token, ...token.split('.')].filter((p) => p.length >= 8)) expect(stored).not.toContain(part);
    return { res, row };
  }

  type AccessExpected = Omit<Expected, 'action' | 'method' | 'path'> & Partial<Pick<Expected, 'method' | 'path'>>;
  /** `token` refused on GET /auth/me (or on what `send` sends) with `code`, and audited as `expected`. */
  const refusedAccess = (token: string, code: string, expected: AccessExpected, send?: (address: string) => Promise<Res>) =>
    refusedAndAudited(
      send ?? ((address) => t.http.get('/api/v1/auth/me').set(bearer(token)).set('X-Forwarded-For', address)),
      token,
      code,
      { action: 'auth.access', method: 'GET', path: '/api/v1/auth/me', ...expected },
    );

  describe('access tokens', () => {
    /** The nurse's own claims with the role raised to admin: what every forgery below tries. */
    const asAdmin = () => ({ ...claimsOf(staff.token.nurse), role: 'admin' });

    const FORGERIES: Array<[string, () => string]> = [
      [
        'the payload changed (nurse → admin), the signature kept',
        () => {
          const { header, signature } = partsOf(staff.token.nurse);
          return `${header}.${b64(asAdmin())}.${signature}`;
        },
      ],
      ['signed with another secret', () => hmacToken('sha256', OTHER_SECRET, { alg: 'HS256', typ: 'JWT' }, asAdmin())],
      ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(asAdmin())}.`],
      ['alg NONE, no signature', () => `${b64({ alg: 'NONE', typ: 'JWT' })}.${b64(asAdmin())}.`],
      ['alg none, without the signature part', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(asAdmin())}`],
      [
        'alg none, the original signature kept',
        () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(asAdmin())}.${partsOf(staff.token.nurse).signature}`,
      ],
      [
        'HS512 with the right secret (Vigil only accepts HS256)',
        () => hmacToken('sha512', SECRET, { alg: 'HS512', typ: 'JWT' }, asAdmin()),
      ],
      [
        'the right secret, but not an access token (typ refresh)',
        () => hmacToken('sha256', SECRET, { alg: 'HS256', typ: 'JWT' }, { ...asAdmin(), typ: 'refresh' }),
      ],
      [
        'expired, and re-signed with another secret',
        () =>
          hmacToken(
            'sha256',
            OTHER_SECRET,
            { alg: 'HS256', typ: 'JWT' },
            { ...asAdmin(), iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 },
          ),
      ],
    ];

    /** Why each forgery above is refused, as its audit row says. Only the `typ: refresh` one carries Vigil's signature. */
    const REASONS: Record<string, { reason: string; verified: boolean; alg?: string }> = {
      'the payload changed (nurse → admin), the signature kept': { reason: 'bad_signature', verified: false },
      'signed with another secret': { reason: 'bad_signature', verified: false },
      'alg none, no signature': { reason: 'alg_none', verified: false },
      'alg NONE, no signature': { reason: 'alg_none', verified: false },
      'alg none, without the signature part': { reason: 'alg_none', verified: false },
      'alg none, the original signature kept': { reason: 'alg_none', verified: false },
      'HS512 with the right secret (Vigil only accepts HS256)': { reason: 'unsupported_alg', verified: false, alg: 'HS512' },
      'the right secret, but not an access token (typ refresh)': { reason: 'wrong_token_type', verified: true },
      'expired, and re-signed with another secret': { reason: 'bad_signature', verified: false },
    };

    it.each(FORGERIES)('%s: 401 UNAUTHENTICATED on an admin write, which does nothing but its audit row', async (label, forge) => {
      const email = `forged-${Date.now()}-${Math.random().toString(16).slice(2)}@vigil.test`;
      const token = forge();
      const { reason, verified, alg } = REASONS[label];
      // UNAUTHENTICATED, never TOKEN_EXPIRED (an invitation to refresh) nor 403 (the forged role read).
      const { row } = await refusedAccess(
        token,
        'UNAUTHENTICATED',
        {
          reason,
          verified,
          userId: staff.nurse.id,
          method: 'POST',
          path: '/api/v1/users',
          // Claims are kept as claims: the forged role included, never as the row's actor.
          claimed: { sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'admin' },
        },
        (address) =>
          t.http
            .post('/api/v1/users')
            .set(bearer(token))
            .set('X-Forwarded-For', address)
            .send({ email, name: 'Mallory', role: 'admin', password: 'a long enough password' }),
      );
      expect(await t.runtime.dataSource.getRepository(User).countBy({ email })).toBe(0);
      expect(row.changes?.['alg']).toBe(alg);
      expect(JSON.stringify(row)).not.toContain('a long enough password');
    });

    it('control: the genuine nurse token passes the token check and is refused by role only (403)', async () => {
      const res = await t.http.get('/api/v1/users').set(bearer(staff.token.nurse));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it('a forged admin token is refused on reads as well: 401, not the users list; its row is not in the clinic’s trail', async () => {
      const { header, signature } = partsOf(staff.token.nurse);
      const token = `${header}.${b64(asAdmin())}.${signature}`;
      const { res } = await refusedAccess(
        token,
        'UNAUTHENTICATED',
        {
          reason: 'bad_signature',
          verified: false,
          path: '/api/v1/users',
          claimed: { sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'admin' },
        },
        (address) => t.http.get('/api/v1/users').set(bearer(token)).set('X-Forwarded-For', address),
      );
      expect(JSON.stringify(res.body)).not.toContain(staff.admin.email);
      // Unsigned claims cannot file a row in a clinic's trail: the clinic's admin does not see it.
      const viaApi = await t.http.get('/api/v1/audit?action=auth.access&limit=200').set(bearer(staff.token.admin)).expect(200);
      expect(viaApi.body.items.map((e: { requestId: string }) => e.requestId)).not.toContain(res.headers['x-request-id']);
    });

    it('a refresh token presented as an access token: 401, audited as the wrong kind of token', async () => {
      const tokens = await login(t.http, staff.nurse.email);
      await refusedAccess(tokens.refreshToken, 'UNAUTHENTICATED', { reason: 'wrong_token_type', verified: false });
    });

    it('a claim that is not an id (here a token) is not kept: the trail never holds free text from a token', async () => {
      const smuggled = staff.token.admin;
      const token = hmacToken(
        'sha256',
        OTHER_SECRET,
        { alg: 'HS256', typ: 'JWT' },
        { ...asAdmin(), sub: smuggled, clinicId: 'x', role: 'root' },
      );
      const { row } = await refusedAccess(token, 'UNAUTHENTICATED', { reason: 'bad_signature', verified: false });
      expect(JSON.stringify(row)).not.toContain(partsOf(smuggled).signature);
    });

    const nurseClaims = () => ({ sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'nurse' as const });
    const signed = (options: { expiresIn?: number; notBefore?: number }) =>
      t.app.get(JwtService).sign({ ...nurseClaims(), typ: 'access' }, { ...options, algorithm: 'HS256' });

    it('an expired access token: 401 TOKEN_EXPIRED on a write, which does nothing; its row is in the clinic’s trail', async () => {
      const expired = signed({ expiresIn: -1 });
      const mrn = `EXP-${Date.now()}`;
      const patient = { mrn, firstName: 'Ana', lastName: 'Souza', dateOfBirth: '1984-05-17', weightKg: 70 };
      const { res } = await refusedAccess(
        expired,
        'TOKEN_EXPIRED',
        { reason: 'expired', verified: true, userId: staff.nurse.id, method: 'POST', path: '/api/v1/patients', claimed: nurseClaims() },
        (address) => t.http.post('/api/v1/patients').set(bearer(expired)).set('X-Forwarded-For', address).send(patient),
      );
      const rows: unknown[] = await q('SELECT 1 FROM patients WHERE clinic_id = $1 AND mrn = $2', [staff.clinic.id, mrn]);
      expect(rows).toEqual([]);
      // Signed by Vigil, so filed under the nurse and the clinic: the clinic's admin reads it.
      const viaApi = await t.http
        .get(`/api/v1/audit?action=auth.access&outcome=denied&resourceId=${staff.nurse.id}`)
        .set(bearer(staff.token.admin))
        .expect(200);
      expect(viaApi.body.items).toContainEqual(
        expect.objectContaining({
          actorUserId: null,
          requestId: res.headers['x-request-id'],
          changes: expect.objectContaining({ reason: 'expired' }),
        }),
      );
    });

    it('a token not valid yet (nbf in the future): 401, audited', async () => {
      const early = signed({ notBefore: 600 });
      await refusedAccess(early, 'UNAUTHENTICATED', {
        reason: 'not_yet_valid',
        verified: true,
        userId: staff.nurse.id,
        claimed: nurseClaims(),
      });
    });

    it('the genuine token of a deactivated account: 401 ACCOUNT_INACTIVE, audited', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const { accessToken } = await login(t.http, user.email);
      await t.runtime.dataSource.getRepository(User).update({ id: user.id }, { active: false });
      await refusedAccess(accessToken, 'ACCOUNT_INACTIVE', {
        reason: 'inactive',
        verified: true,
        userId: user.id,
        claimed: { sub: user.id, clinicId: staff.clinic.id, role: 'nurse' },
      });
    });
  });

  describe('refresh tokens refused', () => {
    const refusedRefresh = async (token: string, code: string, expected: Omit<Expected, 'action' | 'method' | 'path'>) => {
      const send = (address: string) => t.http.post('/api/v1/auth/refresh').set('X-Forwarded-For', address).send({ refreshToken: token });
      const { row } = await refusedAndAudited(send, token, code, {
        action: 'auth.refresh',
        method: 'POST',
        path: '/api/v1/auth/refresh',
        ...expected,
      });
      return row;
    };
    const forgedSecret = () => randomBytes(32).toString('base64url');

    it('not a refresh token at all: malformed', async () => {
      await refusedRefresh('garbage', 'REFRESH_TOKEN_INVALID', { reason: 'malformed', verified: false });
    });

    it('an id Vigil never issued: unknown', async () => {
      await refusedRefresh(`${randomUUID()}.${forgedSecret()}`, 'REFRESH_TOKEN_INVALID', { reason: 'unknown', verified: false });
    });

    it('a real id with a forged secret: bad_secret, its user named only as claimed', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const [id] = (await login(t.http, user.email)).refreshToken.split('.');
      await refusedRefresh(`${id}.${forgedSecret()}`, 'REFRESH_TOKEN_INVALID', {
        reason: 'bad_secret',
        verified: false,
        claimed: { sub: user.id },
      });
    });

    it('an expired token whose hash was already scrubbed: expired, unverified', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const tokens = await login(t.http, user.email);
      await q('UPDATE refresh_tokens SET token_hash = NULL WHERE user_id = $1', [user.id]);
      await refusedRefresh(tokens.refreshToken, 'REFRESH_TOKEN_INVALID', { reason: 'expired', verified: false, claimed: { sub: user.id } });
    });

    it('a genuine token after logout: revoked, filed under its user', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'anesthesiologist');
      const tokens = await login(t.http, user.email);
      await t.http.post('/api/v1/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
      const row = await refusedRefresh(tokens.refreshToken, 'REFRESH_TOKEN_INVALID', {
        reason: 'revoked',
        verified: true,
        userId: user.id,
        actorUserId: user.id,
      });
      expect(row.changes).toMatchObject({ revokedReason: 'logout', familyId: expect.any(String) });
    });

    it('a genuine token past its lifetime: expired, filed under its user', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const tokens = await login(t.http, user.email);
      clock.advanceDays(t.app.get(VigilConfig).REFRESH_TOKEN_TTL_DAYS + 1);
      await refusedRefresh(tokens.refreshToken, 'TOKEN_EXPIRED', {
        reason: 'expired',
        verified: true,
        userId: user.id,
        actorUserId: user.id,
      });
    });

    it('a genuine token of an account deactivated since: inactive, and the login is revoked with it', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const tokens = await login(t.http, user.email);
      await t.runtime.dataSource.getRepository(User).update({ id: user.id }, { active: false });
      await refusedRefresh(tokens.refreshToken, 'ACCOUNT_INACTIVE', {
        reason: 'inactive',
        verified: true,
        userId: user.id,
        actorUserId: user.id,
      });
      const family = await t.runtime.dataSource.getRepository(RefreshToken).findBy({ userId: user.id });
      expect(family.map((r) => r.revokedReason)).toEqual(['deactivated']);
    });
  });

  describe('refresh tokens reused after rotation', () => {
    const refresh = (refreshToken: string) => t.http.post('/api/v1/auth/refresh').send({ refreshToken });
    const trail = (userId: string, outcome: 'success' | 'denied') =>
      t.runtime.dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.refresh', resourceId: userId, outcome } });

    it('the reuse is refused with 401 and recorded in the audit trail, which the clinic’s admin reads', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const first = await login(t.http, user.email);
      const second = await refresh(first.refreshToken).expect(200);
      expect(await trail(user.id, 'success')).toHaveLength(1);

      clock.advanceDays(PAST_GRACE);
      const reuse = await refresh(first.refreshToken);
      expect401(reuse, 'REFRESH_TOKEN_REUSED');

      const [familyRow] = await t.runtime.dataSource.getRepository(RefreshToken).findBy({ userId: user.id });
      const denied = await trail(user.id, 'denied');
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({
        clinicId: staff.clinic.id,
        actorUserId: user.id,
        actorRole: 'nurse',
        resourceType: 'user',
        requestId: reuse.headers['x-request-id'],
        ip: expect.any(String),
        changes: { reason: 'reuse', familyId: familyRow.familyId },
      });
      // The trail never holds a token.
      const stored = JSON.stringify(denied);
      for (const secret of [first.refreshToken, second.body.refreshToken as string, first.accessToken]) {
        expect(stored).not.toContain(secret.split('.').pop());
      }

      const viaApi = await t.http
        .get(`/api/v1/audit?action=auth.refresh&outcome=denied&resourceId=${user.id}`)
        .set(bearer(staff.token.admin))
        .expect(200);
      expect(viaApi.body.items).toEqual([
        expect.objectContaining({ actorUserId: user.id, outcome: 'denied', requestId: reuse.headers['x-request-id'] }),
      ]);
    });

    it('a token two rotations back is caught as well, and ends the newest one', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'anesthesiologist');
      const first = await login(t.http, user.email);
      const second = await refresh(first.refreshToken).expect(200);
      const third = await refresh(second.body.refreshToken).expect(200);
      clock.advanceDays(PAST_GRACE);
      const reuse = await refresh(first.refreshToken);
      expect401(reuse, 'REFRESH_TOKEN_REUSED');
      const newest = await refresh(third.body.refreshToken);
      expect401(newest, 'REFRESH_TOKEN_INVALID');
      const denied = (await trail(user.id, 'denied')).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      expect(
        denied.map((e) => ({ requestId: e.requestId, reason: e.changes?.['reason'], revokedReason: e.changes?.['revokedReason'] })),
      ).toEqual([
        { requestId: reuse.headers['x-request-id'], reason: 'reuse', revokedReason: undefined },
        { requestId: newest.headers['x-request-id'], reason: 'revoked', revokedReason: 'reused' },
      ]);
    });

    it('the same token sent twice at once (two tabs) is answered twice with pairs of the same login; no reuse is recorded', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const first = await login(t.http, user.email);
      const answers = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(await trail(user.id, 'success')).toHaveLength(2);
      expect(await trail(user.id, 'denied')).toEqual([]);
      const families = await t.runtime.dataSource.getRepository(RefreshToken).findBy({ userId: user.id });
      expect(new Set(families.map((r) => r.familyId)).size).toBe(1);
    });
  });

  describe('a flood of refused tokens', () => {
    const forged = () =>
      hmacToken('sha256', OTHER_SECRET, { alg: 'HS256', typ: 'JWT' }, { sub: randomUUID(), clinicId: randomUUID(), role: 'admin' });
    const me = (token: string, address: string) => t.http.get('/api/v1/auth/me').set(bearer(token)).set('X-Forwarded-For', address);
    const refusalsFrom = (ip: string) =>
      t.runtime.dataSource.getRepository(AuditEvent).find({ where: { ip, action: 'auth.access' }, order: { occurredAt: 'ASC' } });

    it('identical refusals from one address within a minute: one row, then one summary row with the count', async () => {
      const address = newAddress();
      const answers: Res[] = [];
      for (let i = 0; i < 6; i++) answers.push(await me(forged(), address));
      for (const res of answers) expect401(res, 'UNAUTHENTICATED');
      expect((await refusalsFrom(address)).map((e) => e.requestId)).toEqual([answers[0].headers['x-request-id']]);

      // Another address, or another reason from this one, is not folded in.
      const elsewhere = await me(forged(), newAddress());
      expect(await rowsOf(elsewhere)).toHaveLength(1);
      const unsigned = await me(`${b64({ alg: 'none' })}.${b64({ sub: randomUUID() })}.`, address);
      expect(await rowsOf(unsigned)).toEqual([expect.objectContaining({ changes: expect.objectContaining({ reason: 'alg_none' }) })]);

      // The minute ends (the flush timer's work, run here at once): the five others are counted.
      clock.advanceDays(2 / (24 * 60));
      await t.app.get(AuditService).flushRefusals();
      const rows = (await refusalsFrom(address)).filter((e) => e.changes?.['reason'] === 'bad_signature');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({
        outcome: 'denied',
        requestId: null,
        clinicId: null,
        resourceId: null,
        actorUserId: null,
        ip: address,
        changes: { reason: 'bad_signature', verified: false, repeated: 5, since: expect.any(String), until: expect.any(String) },
      });

      // A new minute: the next refusal has its own row again.
      const later = await me(forged(), address);
      expect(await rowsOf(later)).toHaveLength(1);
    });

    it('genuine tokens of different users from one address (a clinic behind one router) each keep their row', async () => {
      const address = newAddress();
      const users = await Promise.all([1, 2].map(() => createUser(t.runtime.dataSource, staff.clinic.id, 'nurse')));
      for (const user of users) {
        const expired = t.app
          .get(JwtService)
          .sign({ sub: user.id, clinicId: staff.clinic.id, role: 'nurse', typ: 'access' }, { expiresIn: -1, algorithm: 'HS256' });
        const res = await me(expired, address);
        expect401(res, 'TOKEN_EXPIRED');
        expect(await rowsOf(res)).toEqual([expect.objectContaining({ resourceId: user.id, clinicId: staff.clinic.id })]);
      }
    });

    it('a replay of a reused token after its login was revoked is still audited, coalesced', async () => {
      const address = newAddress();
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const first = await login(t.http, user.email);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
      clock.advanceDays(PAST_GRACE);
      const replay = () => t.http.post('/api/v1/auth/refresh').set('X-Forwarded-For', address).send({ refreshToken: first.refreshToken });
      const answers = [await replay(), await replay(), await replay()];
      for (const res of answers) expect401(res, 'REFRESH_TOKEN_REUSED');
      // The first revokes the login, audited with it; the second finds it revoked (a row of its own
      // key, written at once); the third is counted into the second's window.
      expect(await rowsOf(answers[0])).toHaveLength(1);
      expect(await rowsOf(answers[1])).toHaveLength(1);
      expect(await rowsOf(answers[2])).toHaveLength(0);
    });

    it('a row that cannot be written is logged, and the answer is still 401 in the error shape', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const first = await login(t.http, user.email);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
      clock.advanceDays(PAST_GRACE);
      const insert = EntityManager.prototype.insert;
      const failing = jest.spyOn(EntityManager.prototype, 'insert').mockImplementation(function (this: EntityManager, target, values) {
        if (target === AuditEvent) return Promise.reject(new Error('audit_events cannot be written'));
        return insert.call(this, target as never, values as never);
      });
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const forgery = await me(forged(), newAddress());
        expect401(forgery, 'UNAUTHENTICATED');
        // Refresh reuse writes its row with the revocation, under a savepoint: the revocation stays.
        const reuse = await t.http
          .post('/api/v1/auth/refresh')
          .set('X-Forwarded-For', newAddress())
          .send({ refreshToken: first.refreshToken });
        expect401(reuse, 'REFRESH_TOKEN_REUSED');
        const family = await t.runtime.dataSource.getRepository(RefreshToken).findBy({ userId: user.id });
        expect(family.every((r) => r.revokedAt !== null)).toBe(true);
        expect([...(await rowsOf(forgery)), ...(await rowsOf(reuse))]).toEqual([]);
        expect(logged.mock.calls.map(([message]) => String(message))).toEqual([
          expect.stringContaining('not written: audit_events cannot be written'),
          expect.stringContaining('not written: audit_events cannot be written'),
        ]);
      } finally {
        failing.mockRestore();
        logged.mockRestore();
      }
    });
  });
});
