import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../libs/platform/src/index.js';
import {
  ANESTHESIOLOGIST_ORDERS,
  CRITICAL_ALERTS,
  decisionOf,
  ERROR_SHAPE,
  expectationOf,
  FOLLOW_UPS,
  FOLLOW_UPS_OF_OTHERS,
  OPENAPI_ROUTES,
  OUTSIDE_TABLE,
  ROLES,
  ROLES_TABLE,
  row,
  TABLE_ROUTES,
  type Decision,
} from './support/api-contract.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, type Staff } from './support/factories.js';
import { buildFixtures, CALLS, fixtureGet, pathOf, PROTOCOL, type Call, type Fixtures } from './support/route-fixtures.js';
import { startFrom } from './support/sessions.js';

/*
 * The authorization matrix: every route of openapi.json under /api/v1, called by every role, without
 * a token, with an expired token and with another clinic's token, checked against the Roles table
 * of api.md (parsed at run time) and the small lists of support/api-contract.ts for the routes the
 * table does not name. A route without a decision there, or a decision for a route that is gone,
 * fails the run.
 */

type Caller = Role | 'no token' | 'expired token' | 'another clinic';
const CALLERS: readonly Caller[] = ['nurse', 'anesthesiologist', 'admin', 'no token', 'expired token', 'another clinic'];

/**
 * Routes whose answer depends on the record, not only on the route: each is called again on
 * the record that decides it, and checked against the row that names that case.
 */
interface Variant {
  route: string;
  label: string;
  action: string;
  /** the caller is outside the row's "scheduling tasks only" scope */
  outsideScope?: boolean;
  /** the role the follow-up is assigned to */
  assignee?: Role;
  call: Call;
}

const VARIANTS: Variant[] = [
  {
    route: 'POST /api/v1/alerts/{id}/acknowledge',
    label: 'critical alert',
    action: CRITICAL_ALERTS,
    call: { params: (fx) => ({ id: fx.criticalAlertId }), body: () => ({}), bodyForAll: true },
  },
  {
    route: 'POST /api/v1/alerts/{id}/resolve',
    label: 'critical alert',
    action: CRITICAL_ALERTS,
    call: { params: (fx) => ({ id: fx.emergencyAlertId }), body: () => ({ note: 'chest pain settled; ECG normal' }), bodyForAll: true },
  },
  {
    route: 'POST /api/v1/sessions/{id}/start',
    label: 'start despite a high baseline BP',
    action: ANESTHESIOLOGIST_ORDERS,
    call: {
      params: (fx) => ({ id: fx.highBaselineSessionId }),
      body: (fx) => ({
        ...startFrom(fx.doseContainerId),
        overrides: [{ code: 'BASELINE_BP_HIGH', reason: 'anxious on arrival; repeat 10 min' }],
      }),
      bodyForAll: true,
    },
  },
  {
    route: 'GET /api/v1/patients/{id}/dose-calculation',
    label: 'dose outside the protocol',
    action: ANESTHESIOLOGIST_ORDERS,
    call: { query: () => ({ protocol: PROTOCOL, mgPerKg: 1.5, override: 'DOSE_ABOVE_MAX' }) },
  },
  {
    route: 'POST /api/v1/follow-ups/{id}/complete',
    label: 'scheduling task',
    action: FOLLOW_UPS,
    assignee: 'admin',
    call: { params: async (fx) => ({ id: await fx.schedulingTask() }), body: () => ({ note: 'appointments reviewed' }), bodyForAll: true },
  },
  {
    route: 'POST /api/v1/follow-ups/{id}/complete',
    label: 'clinical task',
    action: FOLLOW_UPS,
    outsideScope: true,
    assignee: 'anesthesiologist',
    call: { params: (fx) => ({ id: fx.clinicalTaskId }), body: () => ({ note: 'called; safe' }), bodyForAll: true },
  },
];

interface Case {
  name: string;
  route: string;
  method: string;
  path: string;
  decision: Decision | undefined;
  variant?: Variant;
}

const CASES: Case[] = [
  ...OPENAPI_ROUTES.map((route): { route: string; decision: Decision | undefined; variant?: Variant } => ({
    route,
    decision: decisionOf(route),
  })),
  ...VARIANTS.map((variant) => ({ route: variant.route, decision: row(variant.action), variant })),
].map(({ route, decision, variant }) => {
  const [method, path] = route.split(' ');
  return { name: variant ? `${route} [${variant.label}]` : route, route, method, path, decision, variant };
});

/** The body with every id of ours replaced by an id that exists nowhere. */
function withIdsFromNowhere(body: object, ours: string[]): object {
  let text = JSON.stringify(body);
  for (const id of ours) text = text.split(id).join(randomUUID());
  return JSON.parse(text) as object;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  requestId: string | undefined;
}

describe('authorization matrix: every route × every caller, against api.md', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let fx: Fixtures;
  let baseUrl: string;
  const expired = {} as Record<Role, string>;
  const get = <T>(path: string, token: string): Promise<T> => fixtureGet<T>(t.http, path, token);

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    const jwt = t.app.get(JwtService);
    for (const role of ROLES)
      expired[role] = jwt.sign({ sub: a[role].id, clinicId: a.clinic.id, role, typ: 'access' }, { expiresIn: -10, algorithm: 'HS256' });
    fx = await buildFixtures(t.http, a, t.runtime.dataSource);
  }, 60_000);
  afterAll(() => t.close());

  async function urlOf(c: Case, call: Call): Promise<string> {
    const path = pathOf(c.path, fx, call.params ? await call.params(fx) : {});
    const query = call.query
      ? `?${new URLSearchParams(Object.entries(call.query(fx)).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
      : '';
    return path + query;
  }

  /**
   * The SSE stream never ends: read until the first replayed event (Last-Event-ID 0 replays the
   * clinic's events) or 300 ms, then hang up. Hanging up on the headers alone is not enough: the
   * server registers its close handler only after subscribing, and a client gone by then leaves
   * its heartbeat timer running (and Jest waiting).
   */
  async function openStream(url: string, token: string | undefined): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5_000);
    try {
      const res = await fetch(`${baseUrl}${url}`, {
        headers: { 'Last-Event-ID': '0', ...(token ? bearer(token) : {}) },
        signal: controller.signal,
      });
      const requestId = res.headers.get('x-request-id') ?? undefined;
      if (res.status !== 200 || !res.body) {
        const text = await res.text();
        return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text, requestId };
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const deadline = Date.now() + 300;
      let text = '';
      while (!/^id: /m.test(text) && Date.now() < deadline) {
        const read = reader.read();
        read.catch(() => undefined);
        const chunk = await Promise.race([read, new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now()))]);
        if (!chunk || chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      controller.abort();
      return { status: res.status, body: {}, text, requestId };
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(c: Case, caller: Caller, token: string | undefined, call: Call): Promise<Answer> {
    const url = await urlOf(c, call);
    if (c.route === 'GET /api/v1/alerts/stream' || c.route === 'GET /api/v1/board/stream') return openStream(url, token);
    const body = call.body && (call.bodyForAll || caller === 'another clinic') ? call.body(fx) : {};
    const req = (() => {
      switch (c.method) {
        case 'GET':
          return t.http.get(url);
        case 'POST':
          return t.http.post(url).send(body);
        case 'PUT':
          return t.http.put(url).send(body);
        case 'PATCH':
          return t.http.patch(url).send(body);
        case 'DELETE':
          return t.http.delete(url).send(body);
        default:
          throw new Error(`no way to send ${c.method}`);
      }
    })();
    const res = token ? await req.set(bearer(token)) : await req;
    return {
      status: res.status,
      body: (res.body ?? {}) as Record<string, unknown>,
      // A binary answer (a PDF) arrives as a Buffer: its text is read for the leak check all the same.
      text: res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('latin1') : ''),
      requestId: res.headers['x-request-id'],
    };
  }

  const refused = (res: Answer, status: number, codes: string[]) => {
    const code = res.body['code'];
    expect({ status: res.status, code }).toEqual({ status, code: codes.includes(String(code)) ? code : codes.join(' or ') });
    expect(Object.keys(res.body).sort()).toEqual(ERROR_SHAPE);
    expect(res.body).toMatchObject({ statusCode: status, requestId: res.requestId });
  };
  const letThrough = (res: Answer) => {
    expect(res.status === 401 || res.status === 403 ? `refused ${res.status}: ${res.text}` : 'let through').toBe('let through');
  };

  describe('the route map', () => {
    it('every /api/v1 route of openapi.json has a roles decision (a new route needs one)', () => {
      expect(OPENAPI_ROUTES.length).toBeGreaterThan(50);
      expect(OPENAPI_ROUTES.filter((r) => decisionOf(r) === undefined)).toEqual([]);
    });

    it('every route of the map, the lists and the variants is still in openapi.json', () => {
      const known = new Set(OPENAPI_ROUTES);
      const mapped = [...Object.keys(TABLE_ROUTES), ...Object.keys(OUTSIDE_TABLE), ...Object.keys(CALLS), ...VARIANTS.map((v) => v.route)];
      expect([...new Set(mapped.filter((r) => !known.has(r)))]).toEqual([]);
      expect(Object.keys(TABLE_ROUTES).filter((r) => r in OUTSIDE_TABLE)).toEqual([]);
    });

    it('every row the map names is in api.md, and every row of api.md has a route', () => {
      const named = new Set([...Object.values(TABLE_ROUTES), ...VARIANTS.map((v) => v.action), FOLLOW_UPS_OF_OTHERS]);
      expect([...named].filter((action) => !ROLES_TABLE.has(action))).toEqual([]);
      expect([...ROLES_TABLE.keys()].filter((action) => !named.has(action))).toEqual([]);
    });
  });

  describe.each(CASES)('$name', (c) => {
    it.each(CALLERS)('%s', async (caller) => {
      if (!c.decision) throw new Error(`${c.route} has no roles decision: add it to TABLE_ROUTES or OUTSIDE_TABLE`);
      // Without a variant, a follow-up route acts on the fixtures' follow-up: the administrators' scheduling task.
      const assignee = c.variant?.assignee ?? (/^POST \/api\/v1\/follow-ups\//.test(c.route) ? 'admin' : undefined);
      // Who may act depends on the task, so every caller sends a valid body and meets that rule, not validation.
      const base = CALLS[c.route] ?? {};
      const call = c.variant?.call ?? (assignee ? { ...base, bodyForAll: true } : base);
      const expected = expectationOf(c.decision, c.method, c.variant?.outsideScope, assignee);
      const ours = /\{(?!key\})\w+\}/.test(c.path);
      // The other clinic and the expired token act as a role the route lets in, so only the clinic or the token differs.
      const stand = expected.allowed[0] ?? 'nurse';

      switch (caller) {
        case 'nurse':
        case 'anesthesiologist':
        case 'admin': {
          const res = await send(c, caller, a.token[caller], call);
          if (expected.allowed.includes(caller)) letThrough(res);
          else if (expected.scopedOut.includes(caller)) refused(res, res.status === 404 ? 404 : 403, ['FORBIDDEN', 'NOT_FOUND']);
          else refused(res, 403, ['FORBIDDEN']);
          return;
        }
        case 'no token': {
          const res = await send(c, caller, undefined, call);
          if (expected.public) letThrough(res);
          else refused(res, 401, ['UNAUTHENTICATED']);
          return;
        }
        case 'expired token': {
          const res = await send(c, caller, expired[stand], call);
          if (expected.public) letThrough(res);
          else refused(res, 401, ['TOKEN_EXPIRED']);
          return;
        }
        case 'another clinic': {
          const res = await send(c, caller, b.token[stand], call);
          if (ours && !expected.public) {
            refused(res, 404, ['NOT_FOUND']);
            return;
          }
          if (call.bodyRefs && call.body) {
            const named = call.body;
            const nowhere = await send(c, caller, b.token[stand], { ...call, body: (f) => withIdsFromNowhere(named(f), f.ours) });
            const gist = (r: Answer) => ({ status: r.status, code: r.body['code'], details: r.body['details'] });
            expect(gist(res)).toEqual(gist(nowhere));
            expect(res.status).toBeGreaterThanOrEqual(400);
            return;
          }
          letThrough(res);
          // The other clinic's trail records its own users' refused requests, with the ids they asked for (ours, here):
          // what they sent, not what Vigil let out.
          const items = (res.body['items'] as Array<{ action?: string }> | undefined)?.filter((e) => e.action !== 'http.refused');
          const shown = c.route === 'GET /api/v1/audit' ? JSON.stringify(items) : res.text;
          if (res.status < 300) expect(fx.ours.filter((id) => shown.includes(id))).toEqual([]);
          return;
        }
      }
    });
  });

  it('administrators read the scheduling tasks only; clinicians read every task', async () => {
    const admin = await get<{ items: Array<{ id: string; assigneeRole: string }> }>('/follow-ups?limit=200', a.token.admin);
    expect(admin.items.length).toBeGreaterThan(0);
    expect(admin.items.filter((x) => x.assigneeRole !== 'admin')).toEqual([]);
    expect(admin.items.map((x) => x.id)).not.toContain(fx.clinicalTaskId);
    for (const role of ['nurse', 'anesthesiologist'] as const) {
      const list = await get<{ items: Array<{ id: string }> }>('/follow-ups?limit=200', a.token[role]);
      expect(list.items.map((x) => x.id)).toEqual(expect.arrayContaining([fx.clinicalTaskId, fx.byCollection['follow-ups']]));
    }
  });
});
