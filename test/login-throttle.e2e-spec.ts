import { AuditEvent } from '../libs/platform/src/index.js';
import { MovableClock, startTestApp, type TestApp } from './support/app.js';
import { PASSWORD, createClinic, createUser } from './support/factories.js';

/*
 * What an attacker at the login form can and cannot do: flood it from one address, pretend to be
 * many addresses behind a trusted proxy, lock a colleague out, or learn which emails exist.
 * Each request says where it comes from with X-Forwarded-For, as the one trusted proxy in front of
 * Vigil (TRUST_PROXY=1) would: "<what the client sent>, <the address the proxy saw>".
 */

type Res = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

let block = 0;
/** A client address no other request of this file has used. */
const freshAddress = () => {
  block += 1;
  return `100.${(process.pid % 60) + 64}.${Math.floor(block / 250)}.${(block % 250) + 1}`;
};

describe('login throttle: per address and account, atomic, in PostgreSQL', () => {
  let t: TestApp;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT_PER_MIN: '20', TRUST_PROXY: '1' }, { clock });
  });
  afterEach(() => clock.reset());
  afterAll(() => t.close());

  const attempt = (email: string, password: string, address: string, spoofed?: string) =>
    t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', spoofed ? `${spoofed}, ${address}` : address)
      .send({ email, password }) as unknown as Promise<Res>;
  const statuses = (answers: Res[]) => answers.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});

  it('60 attempts sent at once from one address on one account: at most 20 are checked, the others get 429 RATE_LIMITED', async () => {
    const address = freshAddress();
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt('ghost@vigil.test', `guess ${i}`, address)));
    const n = statuses(answers);
    expect(n[401]).toBeLessThanOrEqual(20);
    expect(n[401] + n[429]).toBe(60);
    for (const r of answers.filter((a) => a.status === 429)) {
      expect(r.body['code']).toBe('RATE_LIMITED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('a client that rotates the X-Forwarded-For it sends is still one address: limited, and audited under the address the proxy saw', async () => {
    const address = freshAddress();
    const answers: Res[] = [];
    for (let i = 0; i < 22; i++) answers.push(await attempt(`spray-${i}@vigil.test`, 'x', address, `203.0.113.${i + 1}`));
    // Spraying accounts from one address: the address's own ceiling (ten times the per-account limit) is
    // far away, so each account's first attempt is answered; none is filed under a spoofed address.
    expect(statuses(answers)).toEqual({ 401: 22 });
    const rows = await t.runtime.dataSource
      .getRepository(AuditEvent)
      .findBy(answers.map((r) => ({ requestId: r.headers['x-request-id'] })));
    expect(rows.length).toBeGreaterThanOrEqual(22);
    expect(new Set(rows.map((r) => r.ip))).toEqual(new Set([address]));
    // The same account from one address, whatever it claims: the 21st attempt in the minute is refused.
    const one: Res[] = [];
    for (let i = 0; i < 21; i++) one.push(await attempt('ghost@vigil.test', 'x', address, `198.18.0.${i + 1}`));
    expect(one.map((r) => r.status).slice(-1)).toEqual([429]);
  });

  it('one user failing at a shared address (a clinic behind one router) does not lock out a colleague', async () => {
    const address = freshAddress();
    const clinic = await createClinic(t.runtime.dataSource);
    const [clumsy, colleague] = await Promise.all([
      createUser(t.runtime.dataSource, clinic.id, 'nurse'),
      createUser(t.runtime.dataSource, clinic.id, 'nurse'),
    ]);
    for (let i = 0; i < 25; i++) await attempt(clumsy.email, 'wrong', address);
    expect((await attempt(clumsy.email, PASSWORD, address)).status).toBe(429);
    expect((await attempt(colleague.email, PASSWORD, address)).status).toBe(200);
  });

  it('wrong passwords from another address do not lock the real user out; the attacker waits longer each time', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const victim = await createUser(t.runtime.dataSource, clinic.id, 'anesthesiologist');
    const attacker = freshAddress();
    for (let i = 1; i <= 5; i++) expect((await attempt(victim.email, `wrong ${i}`, attacker)).status).toBe(401);
    const held = await attempt(victim.email, PASSWORD, attacker);
    expect({ status: held.status, code: held.body['code'] }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    const firstWait = Number(held.headers['retry-after']);
    expect(firstWait).toBeGreaterThan(0);
    expect(firstWait).toBeLessThanOrEqual(15 * 60);
    // The real user, from their own address, signs in at once.
    expect((await attempt(victim.email, PASSWORD, freshAddress())).status).toBe(200);
    // The attacker's wait passes; one more wrong guess makes the next wait longer.
    clock.advanceDays((firstWait + 1) / 86_400);
    expect((await attempt(victim.email, 'wrong 6', attacker)).status).toBe(401);
    const longer = await attempt(victim.email, 'wrong 7', attacker);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(firstWait);
    // The back-off's audit row is a failure, never a success.
    const locks = await t.runtime.dataSource.getRepository(AuditEvent).findBy({ action: 'auth.lock', resourceId: victim.id });
    expect(locks.length).toBeGreaterThan(0);
    expect(locks.every((r) => r.outcome === 'failure')).toBe(true);
  });

  it('an unknown email is answered exactly as a known one: same statuses, codes, messages and waits', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const known = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const run = async (email: string) => {
      const address = freshAddress();
      const answers: Res[] = [];
      for (let i = 0; i < 7; i++) answers.push(await attempt(email, `wrong ${i}`, address));
      return answers.map((r) => ({
        status: r.status,
        code: r.body['code'],
        message: r.body['message'],
        retryAfter: r.headers['retry-after'],
      }));
    };
    const [k, u] = [await run(known.email), await run(`nobody-${Date.now()}@vigil.test`)];
    expect(u).toEqual(k);
    expect(k.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('a wrong password takes about as long for an unknown email as for a known one', async () => {
    const clinic = await createClinic(t.runtime.dataSource);
    const known = await createUser(t.runtime.dataSource, clinic.id, 'nurse');
    const time = async (email: string) => {
      const took: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await attempt(email, `wrong ${i}`, freshAddress());
        took.push(performance.now() - started);
      }
      return took.sort((a, b) => a - b)[1];
    };
    const [k, u] = [await time(known.email), await time('nobody-at-all@vigil.test')];
    expect(u / k).toBeGreaterThan(0.4);
    expect(u / k).toBeLessThan(2.5);
  });
});
