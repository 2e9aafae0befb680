import { randomUUID } from 'node:crypto';
import { MllpListener } from '../../apps/api/src/hl7/mllp-listener.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { bearer, clinicWithStaff, type Staff } from '../support/factories.js';
import { oru } from '../support/hl7-samples.js';
import { until } from '../support/load.js';
import { exchange, framed } from '../support/mllp.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { randomEui64 } from '../support/route-fixtures.js';
import { sessionAt } from '../support/sessions.js';
import { testEnv } from '../support/test-env.js';

const withRedis = testEnv.redisUrl() ? describe : describe.skip;
const hl7Time = (secondsAhead: number) => {
  const iso = new Date(Date.now() + secondsAhead * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
};

/**
 * PostgreSQL (a server of this test's own) is stopped while a monitor's gateway sends: the message
 * is answered AR (resend later), never AA; once PostgreSQL is back the gateway's resend is stored,
 * and a further resend stores nothing.
 */
withRedis('the monitor feed while PostgreSQL is away', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let s: Staff;
  let port: number;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    t = await startTestApp({
      DATABASE_URL: await pg.database(),
      REDIS_URL: testEnv.redisUrl()!,
      DATABASE_POOL_SIZE: '4',
      HL7_MLLP_PORT: '0',
      HL7_MLLP_HOST: '127.0.0.1',
    });
    port = t.app.get(MllpListener).address()!.port;
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await pg?.cleanup();
  });

  it('AR within seconds while it is down, never AA; the resend after its return stored once', async () => {
    const chairId = (await t.http.post('/api/v1/chairs').set(bearer(s.token.admin)).send({ name: 'Chair 3' }).expect(201)).body.id;
    const eui = randomEui64();
    await t.http.post('/api/v1/monitors').set(bearer(s.token.admin)).send({ name: 'Monitor', chairId, eui64: eui }).expect(201);
    const sessionId = await sessionAt(t.http, s, 'dosing', { chairId });
    const message = (hr: number, ahead: number) =>
      oru({
        controlId: `C-${randomUUID()}`,
        at: hl7Time(ahead),
        eui64: eui,
        rows: [['147842^MDC_ECG_HEART_RATE', String(hr), '264864^MDC_DIM_BEAT_PER_MIN', hl7Time(ahead)]],
      });
    const before = message(70, 2);
    expect((await exchange(port, framed(before), { expect: 1 })).acks[0].MSA[1]).toBe('AA');

    const during = message(71, 4);
    await pg.stop('fast');
    const started = Date.now();
    const refused = await exchange(port, framed(during), { expect: 1, waitMs: 15_000 });
    const answeredMs = Date.now() - started;
    expect(refused.acks.map((x) => [x.MSA[1], x.ERR[0]?.[3]])).toEqual([['AR', '207^Application internal error^HL70357']]);
    expect(answeredMs).toBeLessThan(6000);

    await pg.start();
    await until('/health/ready answering 200', async () => (await t.http.get('/health/ready').timeout(15_000)).status === 200, 20_000);
    for (let i = 0; i < 2; i++) {
      const resent = await exchange(port, framed(during), { expect: 1 });
      expect(resent.acks[0].MSA.slice(1, 3)).toEqual(['AA', during.split('\r')[0].split('|')[9]]);
    }
    const readings = await t.runtime.dataSource.query(
      `SELECT heart_rate FROM vital_readings WHERE session_id = $1 AND source = 'device' ORDER BY measured_at`,
      [sessionId],
    );
    expect(readings).toEqual([{ heart_rate: 70 }, { heart_rate: 71 }]);
  }, 90_000);
});
