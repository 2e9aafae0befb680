import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { sessionAt } from './support/sessions.js';

const api = '/api/v1';
const shape = (statusCode: number, code: string) => ({
  statusCode,
  code,
  message: expect.any(String) as string,
  details: expect.any(Array) as unknown[],
  requestId: expect.any(String) as string,
});

describe('bad or unusual input gets a precise answer, never a 500', () => {
  let t: TestApp;
  let s: Staff;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    s = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it('GET /sessions?date= lists the sessions of that local day of the clinic', async () => {
    const id = await sessionAt(t.http, s, 'checked_in');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: s.clinic.timeZone }).format(new Date());
    const res = await t.http.get(`${api}/sessions?date=${today}`).set(bearer(s.token.nurse)).expect(200);
    expect((res.body as { items: Array<{ id: string }> }).items.map((x) => x.id)).toContain(id);
    const other = await t.http.get(`${api}/sessions?date=2001-01-01`).set(bearer(s.token.nurse)).expect(200);
    expect(other.body).toEqual({ items: [], nextCursor: null });
  });

  it.each(['9999-12-31', '0001-01-01'])('a series starting %s is refused with 400 on startDate', async (startDate) => {
    const p = await createPatient(t.http, s.token.nurse);
    const res = await t.http
      .post(`${api}/patients/${p.id}/series`)
      .set(bearer(s.token.admin))
      .send({ protocol: 'ketamine-iv-standard', startDate, preferredTime: '09:00' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(shape(400, 'VALIDATION_FAILED'));
    expect((res.body as { details: Array<{ field: string }> }).details.map((d) => d.field)).toContain('startDate');
  });

  it('a body of an unsupported media type answers 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.http.post(`${api}/patients`).set(bearer(s.token.nurse)).set('Content-Type', 'application/xml').send('<patient/>');
    expect(res.status).toBe(415);
    expect(res.body).toEqual(shape(415, 'UNSUPPORTED_MEDIA_TYPE'));
  });

  it('headers over the limit answer 431 HEADERS_TOO_LARGE in the error shape', async () => {
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: `${api}/patients`, headers: { 'X-Padding': 'x'.repeat(40_000) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toContain('application/json');
    expect(JSON.parse(answer.body)).toEqual({ ...shape(431, 'HEADERS_TOO_LARGE'), details: [] });
  });
});
