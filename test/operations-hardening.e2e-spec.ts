import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Notification } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';

const METRICS_TOKEN = 'metrics-token-0123456789';

describe('operations: who reads the outbox, metrics, the queue board, headers', () => {
  let t: TestApp;
  let a: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    a = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it('each user reads the mail addressed to them; an administrator sees only the delivery state of the others', async () => {
    const mail = (to: 'nurse' | 'anesthesiologist' | 'admin', body: string) =>
      t.runtime.dataSource.getRepository(Notification).save({
        clinicId: a.clinic.id,
        recipientUserId: a[to].id,
        recipientAddress: a[to].email,
        subject: `Vigil: ${to}`,
        body,
      });
    const clinical = await mail('anesthesiologist', 'PHQ-9 item 9 answered 3 by MRN-77; BP 182/110');
    const own = await mail('admin', 'Follow-up overdue: call back');
    const nurse = await mail('nurse', 'Call the patient 24 hours after the session');

    const asNurse = await t.http.get('/api/v1/notifications').set(bearer(a.token.nurse)).expect(200);
    expect(asNurse.body.items.map((n: { id: string }) => n.id)).toEqual([nurse.id]);
    expect(asNurse.body.items[0].body).toContain('Call the patient');

    const asDoctor = await t.http.get('/api/v1/notifications').set(bearer(a.token.anesthesiologist)).expect(200);
    expect(asDoctor.body.items.map((n: { id: string }) => n.id)).toEqual([clinical.id]);

    const asAdmin = await t.http.get('/api/v1/notifications').set(bearer(a.token.admin)).expect(200);
    expect(JSON.stringify(asAdmin.body)).not.toMatch(/PHQ-9|182\/110|MRN-77|24 hours/);
    const byId = new Map(asAdmin.body.items.map((n: { id: string }) => [n.id, n]));
    expect(byId.get(own.id)).toMatchObject({ body: 'Follow-up overdue: call back', subject: 'Vigil: admin' });
    expect(byId.get(clinical.id)).toMatchObject({
      body: null,
      subject: null,
      status: 'pending',
      recipientAddress: a.anesthesiologist.email,
    });
  });

  it('/metrics answers only with the token; without METRICS_TOKEN set it answers no one', async () => {
    await t.http.get('/metrics').expect(401);
    const other = await startTestApp({ METRICS_TOKEN });
    try {
      await other.http.get('/metrics').expect(401);
      await other.http.get('/metrics').set(bearer(METRICS_TOKEN)).expect(200);
    } finally {
      await other.close();
    }
  });

  it('the queue board takes a session of its own by POST, never the access token in the URL or the cookie', async () => {
    await t.http.get(`/admin/queues?token=${a.token.admin}`).expect(401);
    await t.http.post('/admin/queues/session').set(bearer(a.token.nurse)).expect(403);
    const opened = await t.http.post('/admin/queues/session').set(bearer(a.token.admin)).expect(204);
    const cookie = opened.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^vigil_board=[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(cookie).not.toContain(a.token.admin);
    const value = cookie.split(';')[0];
    await t.http.get('/admin/queues/api/queues').set('Cookie', value).expect(200);
    // Its cookie is no access token to the API.
    await t.http
      .get('/api/v1/auth/me')
      .set(bearer(value.split('=')[1]))
      .expect(401);
    // A claimed https is not believed without TRUST_PROXY; behind a trusted proxy serving TLS the cookie is Secure.
    const claimed = await t.http.post('/admin/queues/session').set(bearer(a.token.admin)).set('X-Forwarded-Proto', 'https').expect(204);
    expect(claimed.headers['set-cookie']?.[0]).not.toContain('Secure');
    const proxied = await startTestApp({ TRUST_PROXY: '1' });
    try {
      const tls = await proxied.http.post('/admin/queues/session').set(bearer(a.token.admin)).set('X-Forwarded-Proto', 'https').expect(204);
      expect(tls.headers['set-cookie']?.[0]).toMatch(/; Secure$/);
    } finally {
      await proxied.close();
    }
  });

  it('the API, /docs and the board send security headers; /docs loads nothing inline the policy would block', async () => {
    for (const path of ['/health', '/docs', '/api/v1/auth/me']) {
      const res = await t.http.get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
    const docs = await t.http.get('/docs').expect(200);
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)/);
    const board = await t.http.get('/admin/queues').set(bearer(a.token.admin)).expect(200);
    expect(board.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describe('operations: slow clients and connection caps', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_MAX_CONNECTIONS_PER_ADDRESS: '3' });
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());

  const connect = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    });
  const closed = (s: net.Socket, ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      s.on('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
      s.on('error', () => undefined);
      s.resume();
    });

  it('a client that never finishes its headers is cut off', async () => {
    const s = await connect();
    s.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(await closed(s, 5000)).toBe(true);
  });

  it('an address holds at most HTTP_MAX_CONNECTIONS_PER_ADDRESS connections', async () => {
    const held = [await connect(), await connect(), await connect()];
    const fourth = await connect();
    expect(await closed(fourth, 1000)).toBe(true);
    for (const s of held) s.destroy();
  });
});
