import { readFile, writeFile } from 'node:fs/promises';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { PUBLIC_KEY, ROLES_KEY } from '../libs/platform/src/index.js';
import { toErrorBody } from '../apps/api/src/http/error.filter.js';
import { buildOpenApi } from '../apps/api/src/openapi.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';

interface Route {
  method: string;
  path: string;
  isPublic: boolean;
  roles?: string[];
}

function routesOf(t: TestApp): Route[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const reflector = t.app.get(Reflector);
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const cls = wrapper.metatype as new () => object;
    const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
    for (const name of scanner.getAllMethodNames(cls.prototype)) {
      const handler = (cls.prototype as Record<string, () => unknown>)[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      routes.push({
        method,
        path: `/${[base, path].filter((p) => p && p !== '/').join('/')}`,
        isPublic: Boolean(reflector.getAllAndOverride(PUBLIC_KEY, [handler, cls])),
        roles: reflector.getAllAndOverride<string[]>(ROLES_KEY, [handler, cls]),
      });
    }
  }
  return routes;
}

const METRICS_TOKEN = 'metrics-token-0123456789';
describe('HTTP contract: guards, error shape, request ids, docs, operations', () => {
  let t: TestApp;
  let staff: Staff;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN });
    staff = await clinicWithStaff(t.runtime.dataSource, t.http);
  });
  afterAll(() => t.close());

  it('every route is either explicitly public or names the roles allowed', () => {
    const routes = routesOf(t);
    expect(routes.length).toBeGreaterThan(10);
    const unguarded = routes.filter((r) => !r.isPublic && !(r.roles && r.roles.length > 0));
    expect(unguarded).toEqual([]);
    const open = routes
      .filter((r) => r.isPublic)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(open).toEqual([
      'GET /fhir/R4/metadata',
      'GET /health',
      'GET /health/ready',
      'GET /metrics',
      'POST /auth/login',
      'POST /auth/logout',
      'POST /auth/refresh',
    ]);
  });

  it('every route that is not public answers 401 without a token', async () => {
    const doc = buildOpenApi(t.app);
    const publicPaths = new Set(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/health', '/health/ready']);
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (publicPaths.has(path)) continue;
      for (const method of Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await (t.http as unknown as Record<string, (u: string) => Promise<{ status: number; body: { code: string } }>>)[method](
          url,
        );
        expect({ route: `${method} ${path}`, status: res.status, code: res.body.code }).toEqual({
          route: `${method} ${path}`,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('errors share one shape: 400 lists every bad field, unknown fields are refused', async () => {
    const res = await t.http
      .post('/api/v1/users')
      .set(bearer(staff.token.admin))
      .send({ email: 'not-an-email', role: 'surgeon', extra: true })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: res.headers['x-request-id'] });
    const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
    expect(fields).toEqual(new Set(['email', 'role', 'name', 'password', 'extra']));
    const malformed = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['401', () => t.http.get('/api/v1/users'), 401, 'UNAUTHENTICATED'],
    ['403', () => t.http.get('/api/v1/users').set(bearer(staff.token.nurse)), 403, 'FORBIDDEN'],
    ['404', () => t.http.get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(bearer(staff.token.admin)), 404, 'NOT_FOUND'],
    ['404 route', () => t.http.get('/api/v1/no-such-thing').set(bearer(staff.token.admin)), 404, 'NOT_FOUND'],
    [
      '409',
      () =>
        t.http
          .post('/api/v1/users')
          .set(bearer(staff.token.admin))
          .send({ email: staff.nurse.email, name: 'x', role: 'nurse', password: 'long enough password' }),
      409,
      'DUPLICATE_KEY',
    ],
  ])('%s has the error shape', async (_label, call, status, code) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'details', 'message', 'requestId', 'statusCode']);
    expect(res.body).toMatchObject({ statusCode: status, code });
  });

  it('an unexpected error answers a bare 500 with the request id, never the internals', () => {
    const logged: unknown[] = [];
    const logger = Object.assign(new Logger('test'), { error: (m: unknown) => logged.push(m) });
    const { body } = toErrorBody(new Error('relation "secret_table" does not exist at 10.0.0.7'), 'req-1', logger);
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', details: [], requestId: 'req-1' });
    expect(String(logged[0])).toContain('secret_table');
  });

  it("answers with Vigil's own request id, whatever X-Request-Id the caller sent (kept in the trail as its claim)", async () => {
    const sent = await t.http.get('/health').set('X-Request-Id', 'ward-3.chair-2:abc').expect(200);
    expect(sent.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const made = await t.http.get('/health').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await t.http.get('/health').set('X-Request-Id', 'x'.repeat(500)).expect(200);
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('health: alive, and ready when PostgreSQL and the queue backend answer', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      queue: { status: 'up', backend: t.runtime.queue.kind },
      hl7: 'off', // HL7_MLLP_PORT unset
    });
  });

  it('metrics: HTTP latency by route and queue depths in Prometheus text, with METRICS_TOKEN', async () => {
    await t.http.get('/api/v1/auth/me').set(bearer(staff.token.nurse)).expect(200);
    await t.http.get('/metrics').expect(401);
    const res = await t.http.get('/metrics').set(bearer(METRICS_TOKEN)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/vigil_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/auth\/me",status="200"\} \d+/);
    expect(res.text).toMatch(/vigil_queue_jobs\{queue="maintenance",state="failed"\} \d+/);
  });

  it('the queue board is for administrators only, through a board session opened by POST', async () => {
    await t.http.get('/admin/queues').expect(401);
    await t.http.get('/admin/queues').set(bearer(staff.token.nurse)).expect(403);
    await t.http.get('/admin/queues').set(bearer(staff.token.admin)).expect(200);
    await t.http.get(`/admin/queues?token=${staff.token.admin}`).expect(401);
    const opened = await t.http.post('/admin/queues/session').set(bearer(staff.token.admin)).expect(204);
    expect(opened.headers['set-cookie']?.[0]).toMatch(/^vigil_board=.*HttpOnly; SameSite=Strict/);
    await t.http.get('/admin/queues/api/queues').set('Cookie', opened.headers['set-cookie'][0].split(';')[0]).expect(200);
    await t.http.get('/admin/queues/api/queues').set('Cookie', `vigil_board=${staff.token.admin}`).expect(401);
  });

  it('serves the OpenAPI document, and the committed openapi.json is current', async () => {
    const served = await t.http.get('/docs/json').expect(200);
    expect(served.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const generated = JSON.stringify(buildOpenApi(t.app), null, 2) + '\n';
    if (process.env['UPDATE_OPENAPI'] === '1') await writeFile('openapi.json', generated);
    const committed = await readFile('openapi.json', 'utf8').catch(() => '');
    expect(committed).toBe(generated);
  });
});
