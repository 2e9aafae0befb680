import type { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { startTestApp, testConfigEnv, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createUser, login, type Staff } from './support/factories.js';
import { openStream, until, type StreamClient } from './support/sse.js';

const api = '/api/v1';

async function listening(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

const endReason = (c: StreamClient) => c.events.filter((e) => e.event === 'end').map((e) => e.data['reason']);

describe('an open alert stream follows what its user may still do', () => {
  let t: TestApp;
  let baseUrl: string;
  let s: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listening(t);
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  async function nurseWithStream(): Promise<{ id: string; stream: StreamClient }> {
    const nurse = await createUser(t.runtime.dataSource, s.clinic.id, 'nurse');
    const { accessToken } = await login(t.http, nurse.email);
    const stream = await openStream(baseUrl, accessToken);
    expect(stream.status).toBe(200);
    return { id: nurse.id, stream };
  }

  it.each([
    ['deactivated', { active: false }, 'account_changed'],
    ['given another role', { role: 'admin' }, 'account_changed'],
    ['given a new password', { password: 'another long password 42' }, 'account_changed'],
  ])('ends within two seconds once its user is %s', async (_what, change, reason) => {
    const { id, stream } = await nurseWithStream();
    await t.http
      .patch(`${api}/users/${id}`)
      .set(bearer(s.token.admin))
      .send({ ...change, version: 1 })
      .expect(200);
    const changedAt = Date.now();
    await until('the stream to end', () => stream.ended, 5000);
    expect(Date.now() - changedAt).toBeLessThan(2500);
    expect(endReason(stream)).toEqual([reason]);
  });

  it('ends when its access token expires', async () => {
    // The nurse's own login (its sid), with a lifetime of two seconds.
    const { sid } = new JwtService().decode<{ sid: string }>(s.token.nurse);
    const claims = { sub: s.nurse.id, clinicId: s.clinic.id, role: 'nurse', typ: 'access', sid };
    const token = new JwtService({ secret: testConfigEnv()['JWT_SECRET'] }).sign(claims, { algorithm: 'HS256', expiresIn: 2 });
    const stream = await openStream(baseUrl, token);
    expect(stream.status).toBe(200);
    await until('the stream to end', () => stream.ended, 5000);
    expect(endReason(stream)).toEqual(['token_expired']);
  });

  it('a stream of an unchanged user stays open', async () => {
    const { stream } = await nurseWithStream();
    await new Promise((r) => setTimeout(r, 1500));
    expect(stream.ended).toBe(false);
    stream.close();
  });
});

describe('alert streams are capped per user and per process', () => {
  let t: TestApp;
  let baseUrl: string;
  let s: Staff;
  beforeAll(async () => {
    t = await startTestApp({ ALERT_STREAMS_PER_USER: '2', ALERT_STREAMS_PER_PROCESS: '3' });
    baseUrl = await listening(t);
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it('refuses a stream beyond either cap with 429 in the error shape, and admits one again once a stream closes', async () => {
    const first = await openStream(baseUrl, s.token.nurse);
    const second = await openStream(baseUrl, s.token.nurse);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await openStream(baseUrl, s.token.nurse);
    expect(third.status).toBe(429);
    expect(third.body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_STREAMS',
      message: expect.stringContaining('2') as string,
      details: [],
      requestId: expect.any(String) as string,
    });
    const other = await openStream(baseUrl, s.token.anesthesiologist);
    expect(other.status).toBe(200);
    const beyondProcess = await openStream(baseUrl, s.token.anesthesiologist);
    expect(beyondProcess.status).toBe(429);
    expect((beyondProcess.body as { code: string }).code).toBe('TOO_MANY_STREAMS');
    first.close();
    await until('a slot to free', async () => {
      const again = await openStream(baseUrl, s.token.anesthesiologist);
      if (again.status === 200) again.close();
      return again.status === 200;
    });
    for (const c of [second, other]) c.close();
  });
});
