import { createHmac } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { AuditEvent, RefreshToken, User } from '../libs/platform/src/index.js';
import { startTestApp, testConfigEnv, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, login, type Staff } from './support/factories.js';

/*
 * Forged, unsigned, expired and replayed tokens. test/auth.e2e-spec.ts already covers a flipped
 * signature and an expired token on GET /auth/me, and the family revocation on refresh reuse;
 * this file covers the forgeries that try to become someone else, refusals on writes, and the
 * audit trail of the refusals.
 */

const SECRET = testConfigEnv()['JWT_SECRET'];
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

describe('tokens: forged, unsigned, expired and replayed tokens are refused', () => {
  let t: TestApp;
  let staff: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    staff = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  const expect401 = (res: { status: number; body: Record<string, unknown>; headers: Record<string, string> }, code: string) => {
    expect({ status: res.status, code: res.body['code'] }).toEqual({ status: 401, code });
    expect(Object.keys(res.body).sort()).toEqual(SHAPE);
    expect(res.body['requestId']).toBe(res.headers['x-request-id']);
  };

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
      [
        'signed with another secret',
        () => hmacToken('sha256', 'not-the-secret-0123456789abcdef0123456789', { alg: 'HS256', typ: 'JWT' }, asAdmin()),
      ],
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
            'not-the-secret-0123456789abcdef0123456789',
            { alg: 'HS256', typ: 'JWT' },
            { ...asAdmin(), iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 },
          ),
      ],
    ];

    it.each(FORGERIES)('%s: 401 UNAUTHENTICATED on an admin write, which does nothing', async (_label, forge) => {
      const email = `forged-${Date.now()}-${Math.random().toString(16).slice(2)}@vigil.test`;
      const res = await t.http
        .post('/api/v1/users')
        .set(bearer(forge()))
        .send({ email, name: 'Mallory', role: 'admin', password: 'a long enough password' });
      // UNAUTHENTICATED, never TOKEN_EXPIRED (an invitation to refresh) nor 403 (the forged role read).
      expect401(res, 'UNAUTHENTICATED');
      expect(await t.runtime.dataSource.getRepository(User).countBy({ email })).toBe(0);
      // Not asserted, though it should be: the refusal is not written to the audit trail today.
      // AuthGuard → AuthService.authenticate → verifyAccessToken throws a DomainError and nothing
      // records it (no audit_events row for the request id). Reported; add the assertion once it is.
    });

    it('control: the genuine nurse token passes the token check and is refused by role only (403)', async () => {
      const res = await t.http.get('/api/v1/users').set(bearer(staff.token.nurse));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it('a forged admin token is refused on reads as well: 401, not the users list', async () => {
      const { header, signature } = partsOf(staff.token.nurse);
      const res = await t.http.get('/api/v1/users').set(bearer(`${header}.${b64(asAdmin())}.${signature}`));
      expect401(res, 'UNAUTHENTICATED');
      expect(JSON.stringify(res.body)).not.toContain(staff.admin.email);
    });

    it('a refresh token presented as an access token: 401', async () => {
      const tokens = await login(t.http, staff.nurse.email);
      const res = await t.http.get('/api/v1/auth/me').set(bearer(tokens.refreshToken));
      expect401(res, 'UNAUTHENTICATED');
    });

    it('an expired access token: 401 TOKEN_EXPIRED on a write, which does nothing', async () => {
      const expired = t.app
        .get(JwtService)
        .sign({ sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'nurse', typ: 'access' }, { expiresIn: -1, algorithm: 'HS256' });
      const mrn = `EXP-${Date.now()}`;
      const res = await t.http.post('/api/v1/patients').set(bearer(expired)).send({
        mrn,
        firstName: 'Ana',
        lastName: 'Souza',
        dateOfBirth: '1984-05-17',
        weightKg: 70,
      });
      expect401(res, 'TOKEN_EXPIRED');
      const rows: unknown[] = await t.runtime.dataSource.query('SELECT 1 FROM patients WHERE clinic_id = $1 AND mrn = $2', [
        staff.clinic.id,
        mrn,
      ]);
      expect(rows).toEqual([]);
      // Not asserted, though it should be: an expired access token is refused without an audit row
      // (verifyAccessToken maps TokenExpiredError to 401 TOKEN_EXPIRED and records nothing). Reported.
    });

    it('a token not valid yet (nbf in the future): 401', async () => {
      const early = t.app
        .get(JwtService)
        .sign({ sub: staff.nurse.id, clinicId: staff.clinic.id, role: 'nurse', typ: 'access' }, { notBefore: 600, algorithm: 'HS256' });
      const res = await t.http.get('/api/v1/auth/me').set(bearer(early));
      expect401(res, 'UNAUTHENTICATED');
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
      const reuse = await refresh(first.refreshToken);
      expect401(reuse, 'REFRESH_TOKEN_REUSED');
      expect401(await refresh(third.body.refreshToken), 'REFRESH_TOKEN_INVALID');
      const denied = await trail(user.id, 'denied');
      expect(denied.map((e) => ({ requestId: e.requestId, reason: e.changes?.['reason'] }))).toEqual([
        { requestId: reuse.headers['x-request-id'], reason: 'reuse' },
      ]);
    });

    it('the same token sent twice at once rotates once: one 200, one 401 recorded as a reuse', async () => {
      const user = await createUser(t.runtime.dataSource, staff.clinic.id, 'nurse');
      const first = await login(t.http, user.email);
      const answers = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
      const loser = answers.find((r) => r.status === 401)!;
      expect401(loser, 'REFRESH_TOKEN_REUSED');
      expect(await trail(user.id, 'success')).toHaveLength(1);
      const denied = await trail(user.id, 'denied');
      expect(denied.map((e) => e.requestId)).toEqual([loser.headers['x-request-id']]);
    });
  });
});
