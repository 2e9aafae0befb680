import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { localParts, zonedTimeToUtc, type Role } from '../libs/platform/src/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearer, clinicWithStaff, createPatient, type Staff } from './support/factories.js';
import { consentForm, consentedPatient, readySession, startBody, vitals } from './support/sessions.js';

/*
 * The authorization matrix: every route of openapi.json under /api/v1, called by every role, without
 * a token, with an expired token and with another clinic's token, checked against the Roles table
 * of api.md (parsed at run time) and the small lists below for the routes the table does not name.
 * A route without a decision here, or a decision for a route that is gone, fails the run.
 */

const API = '/api/v1';
const ROLES: readonly Role[] = ['nurse', 'anesthesiologist', 'admin'];
const PROTOCOL = 'ketamine-iv-standard';

// ---------------------------------------------------------------------------------------------
// api.md's Roles table

type Cell = 'yes' | 'no' | 'read' | 'scheduling-only';

function parseCell(text: string, where: string): Cell {
  if (text === '✓') return 'yes';
  if (text === '–' || text === '-' || text === '—') return 'no';
  if (text === 'read') return 'read';
  if (/^✓\s*\(scheduling tasks only\)$/.test(text)) return 'scheduling-only';
  throw new Error(`api.md Roles table: cannot read "${text}" (${where})`);
}

/** action → cell per role, from the "## Roles" section of api.md. */
function parseRolesTable(markdown: string): Map<string, Record<Role, Cell>> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^##\s+Roles\s*$/.test(l));
  if (start < 0) throw new Error('api.md has no "## Roles" section');
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const trimmed = line.trim();
    if (trimmed.startsWith('|'))
      rows.push(
        trimmed
          .replace(/^\|/, '')
          .replace(/\|$/, '')
          .split('|')
          .map((c) => c.trim()),
      );
  }
  const [header, separator, ...body] = rows;
  if (header?.join(',') !== 'action,nurse,anesthesiologist,admin') throw new Error(`api.md Roles table header: ${JSON.stringify(header)}`);
  if (!separator?.every((c) => /^:?-+:?$/.test(c))) throw new Error('api.md Roles table: no separator row');
  const table = new Map<string, Record<Role, Cell>>();
  for (const [action, nurse, anesthesiologist, admin] of body) {
    table.set(action, {
      nurse: parseCell(nurse, `${action} / nurse`),
      anesthesiologist: parseCell(anesthesiologist, `${action} / anesthesiologist`),
      admin: parseCell(admin, `${action} / admin`),
    });
  }
  if (table.size < 10) throw new Error(`api.md Roles table: only ${table.size} rows read`);
  return table;
}

const ROLES_TABLE = parseRolesTable(readFileSync(join(process.cwd(), '..', 'shared', 'api.md'), 'utf8'));

// The rows of the table, by their action text exactly as api.md spells it.
const SETUP = 'users, chairs, clinic settings, consent form texts';
const DEMOGRAPHICS = 'patients: create, edit demographics';
const SCREENING = 'patients: clinical screening, contraindications';
const CONSENTS = 'consents: record signature, withdraw';
const SCHEDULING = 'appointments, series, maintenance proposals';
const SESSIONS = 'sessions: check-in, pre-checks, start, vitals, end, observation, discharge';
const ANESTHESIOLOGIST_ORDERS = 'dose orders outside protocol, start despite high baseline BP, attest vitals';
const THRESHOLDS = 'thresholds: protocol and patient overrides';
const ACK_WARNING = 'alerts: acknowledge warning';
const CRITICAL_ALERTS = 'alerts: acknowledge / resolve critical';
const ASSESSMENTS = 'assessments (PHQ-9 …)';
const CLINICAL_READ = 'vitals, alerts, assessments: read';
const FOLLOW_UPS = 'follow-up tasks: read, complete';
const AUDIT = 'audit trail: read';

// ---------------------------------------------------------------------------------------------
// The roles decision of every route

type Decision = { row: string } | { public: string } | { roles: readonly Role[]; why: string };

const row = (action: string): Decision => ({ row: action });
const anyRole = (why: string): Decision => ({ roles: ROLES, why });
const only = (role: Role, why: string): Decision => ({ roles: [role], why });

/** Each route (method and OpenAPI path) → the Roles table row it belongs to. */
const TABLE_ROUTES: Record<string, string> = {
  'POST /api/v1/users': SETUP,
  'GET /api/v1/users': SETUP,
  'GET /api/v1/users/{id}': SETUP,
  'PATCH /api/v1/users/{id}': SETUP,
  'POST /api/v1/chairs': SETUP,
  'GET /api/v1/chairs': SETUP,
  'PATCH /api/v1/chairs/{id}': SETUP,
  'GET /api/v1/clinic-settings': SETUP,
  'PATCH /api/v1/clinic-settings': SETUP,
  'POST /api/v1/consent-forms': SETUP,
  'PATCH /api/v1/consent-forms/{id}': SETUP,
  'POST /api/v1/consent-forms/{id}/publish': SETUP,

  'POST /api/v1/patients': DEMOGRAPHICS,
  // Reading the demographics every role may register and edit.
  'GET /api/v1/patients': DEMOGRAPHICS,
  'GET /api/v1/patients/{id}': DEMOGRAPHICS,
  'PATCH /api/v1/patients/{id}': DEMOGRAPHICS,

  // Weights after registration are clinical measurements (the dose is computed from them).
  'POST /api/v1/patients/{id}/weights': SCREENING,
  'GET /api/v1/patients/{id}/weights': SCREENING,
  'GET /api/v1/patients/{id}/contraindications': SCREENING,
  'PUT /api/v1/patients/{id}/contraindications': SCREENING,

  'POST /api/v1/patients/{id}/consents': CONSENTS,
  'POST /api/v1/patients/{id}/consents/{consentId}/withdraw': CONSENTS,

  'POST /api/v1/appointments': SCHEDULING,
  'GET /api/v1/appointments': SCHEDULING,
  'POST /api/v1/appointments/{id}/cancel': SCHEDULING,
  'POST /api/v1/appointments/{id}/no-show': SCHEDULING,
  'POST /api/v1/appointments/{id}/confirm': SCHEDULING,
  'POST /api/v1/appointments/{id}/move': SCHEDULING,
  'POST /api/v1/patients/{id}/series': SCHEDULING,
  'GET /api/v1/patients/{id}/series': SCHEDULING,
  'GET /api/v1/schedule': SCHEDULING,

  'POST /api/v1/sessions': SESSIONS,
  'GET /api/v1/sessions': SESSIONS,
  'GET /api/v1/sessions/{id}': SESSIONS,
  'POST /api/v1/sessions/{id}/check-in': SESSIONS,
  'POST /api/v1/sessions/{id}/pre-checks': SESSIONS,
  'POST /api/v1/sessions/{id}/start': SESSIONS,
  'POST /api/v1/sessions/{id}/pause': SESSIONS,
  'POST /api/v1/sessions/{id}/resume': SESSIONS,
  'POST /api/v1/sessions/{id}/rate': SESSIONS,
  'POST /api/v1/sessions/{id}/end-dosing': SESSIONS,
  'POST /api/v1/sessions/{id}/abort': SESSIONS,
  'POST /api/v1/sessions/{id}/cancel': SESSIONS,
  'POST /api/v1/sessions/{id}/no-show': SESSIONS,
  'POST /api/v1/sessions/{id}/vitals': SESSIONS,
  'POST /api/v1/sessions/{id}/vitals/batch': SESSIONS,
  'POST /api/v1/sessions/{id}/emergency': SESSIONS,
  'POST /api/v1/sessions/{id}/observation-checks': SESSIONS,
  'POST /api/v1/sessions/{id}/adverse-events': SESSIONS,
  'POST /api/v1/sessions/{id}/discharge': SESSIONS,
  'GET /api/v1/sessions/{id}/rems-form': SESSIONS,
  // The dose of a session start (an order outside the protocol: a variant below).
  'GET /api/v1/patients/{id}/dose-calculation': SESSIONS,

  'POST /api/v1/sessions/{id}/attest-vitals': ANESTHESIOLOGIST_ORDERS,

  // The clinic threshold layer and a patient's overrides (the protocol layer: PATCH /protocols/{key}).
  'PATCH /api/v1/thresholds': THRESHOLDS,
  'PUT /api/v1/patients/{id}/thresholds': THRESHOLDS,

  // On a warning alert; on a critical one: the variants below.
  'POST /api/v1/alerts/{id}/acknowledge': ACK_WARNING,
  // api.md names only critical alerts for resolve; a warning is the nurse's (the route's own description).
  'POST /api/v1/alerts/{id}/resolve': ACK_WARNING,

  'POST /api/v1/patients/{id}/assessments': ASSESSMENTS,

  'GET /api/v1/sessions/board': CLINICAL_READ,
  'GET /api/v1/sessions/{id}/vitals': CLINICAL_READ,
  'GET /api/v1/alerts': CLINICAL_READ,
  'GET /api/v1/alerts/stream': CLINICAL_READ,
  'GET /api/v1/patients/{id}/assessments': CLINICAL_READ,
  'GET /api/v1/patients/{id}/outcomes': CLINICAL_READ,
  'GET /api/v1/patients/{id}/thresholds': CLINICAL_READ,

  'GET /api/v1/follow-ups': FOLLOW_UPS,
  'POST /api/v1/follow-ups/{id}/complete': FOLLOW_UPS,
  // Not named by api.md: the same people as complete.
  'POST /api/v1/follow-ups/{id}/reschedule': FOLLOW_UPS,
  'POST /api/v1/follow-ups/{id}/cancel': FOLLOW_UPS,

  'GET /api/v1/audit': AUDIT,
};

/** Routes the table does not name, each with its rule and where that rule comes from. */
const OUTSIDE_TABLE: Record<string, Decision> = {
  'POST /api/v1/auth/login': { public: 'api.md: login is public' },
  'POST /api/v1/auth/refresh': { public: 'api.md: refresh is public' },
  'GET /api/v1/auth/me': anyRole('who am I'),
  // Vigil's choice: logout revokes the refresh token sent in the body, so a client whose access token has expired can still end its session.
  'POST /api/v1/auth/logout': { public: 'logout takes the refresh token; an expired access token must not keep a session alive' },
  'GET /api/v1/consent-forms': anyRole('api.md Resources: only POST /consent-forms is (admin); nurses pick the form a patient signs'),
  'GET /api/v1/consent-forms/{id}': anyRole('as GET /consent-forms'),
  'GET /api/v1/patients/{id}/consents': anyRole('not in the table; administrators act on withdrawals (their follow-up tasks)'),
  'GET /api/v1/protocols': anyRole('api.md Resources: no role on GET /protocols'),
  'GET /api/v1/protocols/{key}': anyRole('api.md Resources: no role on GET /protocols/:key'),
  'GET /api/v1/thresholds': anyRole('api.md Resources: GET /thresholds (effective clinic defaults per protocol), no role'),
  'PATCH /api/v1/protocols/{key}': only('anesthesiologist', 'api.md Resources: PATCH /protocols/:key (anesthesiologist; audited)'),
  'POST /api/v1/patients/{id}/contraindications/acknowledge': only(
    'anesthesiologist',
    'clinical-rules.md §2: relative contraindications need an anesthesiologist’s acknowledgement',
  ),
  'POST /api/v1/patients/{id}/assessments/{assessmentId}/review': only(
    'anesthesiologist',
    'clinical-rules.md §5: a high-risk C-SSRS screener blocks the start until an anesthesiologist reviews it',
  ),
  'GET /api/v1/notifications': only('admin', 'operations: the notification outbox'),
  // api.md does not name it: the code's choice, pinned here until api.md says otherwise.
  'POST /api/v1/patients/{id}/discharge-from-care': {
    roles: ['anesthesiologist', 'admin'],
    why: 'not in api.md; ending treatment is a clinician’s decision with scheduling consequences',
  },
};

function decisionOf(route: string): Decision | undefined {
  const action = TABLE_ROUTES[route];
  return action !== undefined ? row(action) : OUTSIDE_TABLE[route];
}

// ---------------------------------------------------------------------------------------------
// The routes of openapi.json

const openapi = JSON.parse(readFileSync(join(process.cwd(), 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const OPENAPI_ROUTES = Object.entries(openapi.paths)
  .filter(([path]) => path.startsWith(`${API}/`))
  .flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => HTTP_METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

// ---------------------------------------------------------------------------------------------
// How each route is called

interface Fixtures {
  /** our rows, by the collection segment before `{id}` */
  byCollection: Record<string, string>;
  /** our rows, by path parameter name (other than `id`) */
  byParam: Record<string, string>;
  patientId: string;
  formId: string;
  chairId: string;
  startsAt: string;
  day: string;
  highBaselineSessionId: string;
  criticalAlertId: string;
  emergencyAlertId: string;
  clinicalTaskId: string;
  /** a fresh follow-up task assigned to the administrators (a consent withdrawal's) */
  schedulingTask(): Promise<string>;
  /** every id of our clinic, for the leak check */
  ours: string[];
}

type Caller = Role | 'no token' | 'expired token' | 'another clinic';
const CALLERS: readonly Caller[] = ['nurse', 'anesthesiologist', 'admin', 'no token', 'expired token', 'another clinic'];

interface Call {
  /** path parameters; default: our row of the collection the parameter follows */
  params?: (fx: Fixtures, caller: Caller) => Promise<Record<string, string>> | Record<string, string>;
  /** query string, sent by every caller */
  query?: (fx: Fixtures) => Record<string, string | number>;
  /**
   * A valid body. Another clinic sends it, so that its request reaches the record lookup; the
   * roles send `{}` (the guard answers before validation) unless `bodyForAll`.
   */
  body?: (fx: Fixtures) => object;
  bodyForAll?: boolean;
  /**
   * The valid body names records of our clinic: another clinic must be answered exactly as for
   * ids that exist nowhere (never 2xx). A record named in the path answers 404.
   */
  bodyRefs?: boolean;
}

const now = () => new Date().toISOString();
const soon = () => new Date(Date.now() + 2 * 86_400_000).toISOString();

const CALLS: Record<string, Call> = {
  'PATCH /api/v1/users/{id}': { body: () => ({ name: 'Renamed by another clinic' }) },
  'PATCH /api/v1/patients/{id}': { body: () => ({ phone: '+1 555 0199' }) },
  'POST /api/v1/patients/{id}/weights': { body: () => ({ value: 71, unit: 'kg' }) },
  'POST /api/v1/patients/{id}/contraindications/acknowledge': { body: () => ({ note: 'reviewed with the patient' }) },
  'GET /api/v1/patients/{id}/dose-calculation': { query: () => ({ protocol: PROTOCOL, mgPerKg: 0.5 }) },
  'POST /api/v1/patients/{id}/consents': {
    body: (fx) => ({ formId: fx.formId, signedAt: now(), signedByName: 'Ana Souza', method: 'in-person' }),
  },
  'POST /api/v1/patients/{id}/consents/{consentId}/withdraw': { body: () => ({ reason: 'changed her mind' }) },
  'PATCH /api/v1/consent-forms/{id}': { body: () => ({ title: 'Retitled' }) },
  'PATCH /api/v1/protocols/{key}': { body: () => ({ reason: 'matrix check', durationMin: 40 }) },
  'POST /api/v1/follow-ups/{id}/complete': { body: () => ({ note: 'called the patient' }) },
  'POST /api/v1/follow-ups/{id}/reschedule': { body: () => ({ dueAt: soon() }) },
  'POST /api/v1/follow-ups/{id}/cancel': { body: () => ({ reason: 'not needed' }) },
  'POST /api/v1/sessions': { bodyRefs: true, body: (fx) => ({ patientId: fx.patientId, protocol: PROTOCOL }) },
  'POST /api/v1/sessions/{id}/pre-checks': {
    body: () => ({ transportHome: 'escort', escortName: 'Rui', pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' }),
  },
  'POST /api/v1/sessions/{id}/start': { body: () => startBody },
  'POST /api/v1/sessions/{id}/pause': { body: () => ({ reason: 'patient asked' }) },
  'POST /api/v1/sessions/{id}/rate': { body: () => ({ rateMlPerH: 40, reason: 'nausea' }) },
  'POST /api/v1/sessions/{id}/abort': { body: () => ({ reason: 'patient asked' }) },
  'POST /api/v1/sessions/{id}/cancel': { body: () => ({ reason: 'patient asked' }) },
  'POST /api/v1/sessions/{id}/vitals': { body: () => vitals() },
  'POST /api/v1/sessions/{id}/vitals/batch': { body: () => ({ readings: [vitals()] }) },
  'POST /api/v1/sessions/{id}/emergency': { body: () => ({ symptoms: ['chest-pain'] }) },
  'POST /api/v1/sessions/{id}/observation-checks': { body: () => ({ dissociation: 'resolved' }) },
  'POST /api/v1/sessions/{id}/adverse-events': {
    body: () => ({ kind: 'nausea-vomiting', severity: 'mild', onsetAt: now(), actionTaken: 'ondansetron 4 mg', outcome: 'resolved' }),
  },
  'POST /api/v1/sessions/{id}/attest-vitals': { body: () => ({ reason: 'acceptable for this patient' }) },
  'POST /api/v1/sessions/{id}/discharge': {
    body: () => ({
      alertAndOriented: true,
      walksSteadily: true,
      nauseaControlled: true,
      escortConfirmed: true,
      drivingInstructionGiven: true,
    }),
  },
  'POST /api/v1/patients/{id}/assessments': {
    body: () => ({ instrument: 'PHQ9', items: [0, 0, 0, 0, 0, 0, 0, 0, 0], administeredAt: now() }),
  },
  'POST /api/v1/patients/{id}/assessments/{assessmentId}/review': { body: () => ({ note: 'safety plan made' }) },
  'PATCH /api/v1/chairs/{id}': { body: () => ({ name: `Chair ${randomUUID().slice(0, 8)}` }) },
  'POST /api/v1/appointments': {
    bodyRefs: true,
    body: (fx) => ({ patientId: fx.patientId, chairId: fx.chairId, protocol: PROTOCOL, startsAt: fx.startsAt }),
  },
  'GET /api/v1/appointments': { query: () => ({ from: now(), to: new Date(Date.now() + 30 * 86_400_000).toISOString() }) },
  'POST /api/v1/appointments/{id}/cancel': { body: () => ({ reason: 'patient asked' }) },
  'POST /api/v1/appointments/{id}/no-show': { body: () => ({ reason: 'did not come' }) },
  'POST /api/v1/appointments/{id}/move': { body: (fx) => ({ startsAt: fx.startsAt }) },
  'POST /api/v1/patients/{id}/discharge-from-care': { body: () => ({ reason: 'moved away' }) },
  'POST /api/v1/patients/{id}/series': { body: (fx) => ({ protocol: PROTOCOL, startDate: fx.day, preferredTime: '09:00' }) },
  'GET /api/v1/schedule': { query: (fx) => ({ date: fx.day }) },
  'POST /api/v1/alerts/{id}/resolve': { body: () => ({ note: 'repeated; settled' }) },
  'PUT /api/v1/patients/{id}/thresholds': { body: () => ({ thresholds: {}, reason: 'no overrides needed' }) },
};

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
      body: () => ({ ...startBody, overrides: [{ code: 'BASELINE_BP_HIGH', reason: 'anxious on arrival; repeat 10 min' }] }),
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
    call: { params: async (fx) => ({ id: await fx.schedulingTask() }), body: () => ({ note: 'appointments reviewed' }), bodyForAll: true },
  },
  {
    route: 'POST /api/v1/follow-ups/{id}/complete',
    label: 'clinical task',
    action: FOLLOW_UPS,
    outsideScope: true,
    call: { params: (fx) => ({ id: fx.clinicalTaskId }), body: () => ({ note: 'called; safe' }), bodyForAll: true },
  },
];

// ---------------------------------------------------------------------------------------------
// Expectations

interface Expectation {
  public: boolean;
  allowed: Role[];
  /** roles refused by a record-level scope: 403, or 404 as for a record they cannot see */
  scopedOut: Role[];
}

function expectationOf(decision: Decision, method: string, outsideScope = false): Expectation {
  if ('public' in decision) return { public: true, allowed: [...ROLES], scopedOut: [] };
  if ('roles' in decision) return { public: false, allowed: [...decision.roles], scopedOut: [] };
  const cells = ROLES_TABLE.get(decision.row);
  if (!cells) throw new Error(`api.md's Roles table has no row "${decision.row}"`);
  const allowed: Role[] = [];
  const scopedOut: Role[] = [];
  for (const role of ROLES) {
    const cell = cells[role];
    if (cell === 'yes' || (cell === 'read' && method === 'GET')) allowed.push(role);
    else if (cell === 'scheduling-only') (outsideScope ? scopedOut : allowed).push(role);
  }
  return { public: false, allowed, scopedOut };
}

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

const SHAPE = ['code', 'details', 'message', 'requestId', 'statusCode'];

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

  const post = async <T = { id: string }>(path: string, token: string, body: object, status = 201): Promise<T> => {
    const res = await t.http.post(`${API}${path}`).set(bearer(token)).send(body);
    if (res.status !== status) throw new Error(`fixture ${path} answered ${res.status}: ${res.text}`);
    return res.body as T;
  };
  const get = async <T>(path: string, token: string): Promise<T> => {
    const res = await t.http.get(`${API}${path}`).set(bearer(token));
    if (res.status !== 200) throw new Error(`fixture ${path} answered ${res.status}: ${res.text}`);
    return res.body as T;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [a, b] = await Promise.all([clinicWithStaff(t.runtime.dataSource, t.http), clinicWithStaff(t.runtime.dataSource, t.http)]);
    const jwt = t.app.get(JwtService);
    for (const role of ROLES)
      expired[role] = jwt.sign({ sub: a[role].id, clinicId: a.clinic.id, role, typ: 'access' }, { expiresIn: -10, algorithm: 'HS256' });

    const nurse = a.token.nurse;
    const doc = a.token.anesthesiologist;
    let day = '';
    for (let d = 7; d < 15 && !day; d++) {
      const p = localParts(new Date(Date.now() + d * 86_400_000), a.clinic.timeZone);
      if (p.weekday === 'tue') day = p.date;
    }
    const startsAt = zonedTimeToUtc(day, '10:00', a.clinic.timeZone).toISOString();

    // One after the other: consent forms of a kind are numbered per clinic.
    const patientId = await consentedPatient(t.http, a);
    const formId = await consentForm(t.http, a);
    const chair = await post('/chairs', a.token.admin, { name: 'Chair 1' });
    const sessionId = await readySession(t.http, a);
    const highBaselineSessionId = await readySession(t.http, a, { baseline: { systolic: 150, diastolic: 95 } });
    const alertSessionId = await readySession(t.http, a);
    const consents = await get<Array<{ id: string }>>(`/patients/${patientId}/consents`, nurse);
    const appointment = await post('/appointments', a.token.admin, { patientId, chairId: chair.id, protocol: PROTOCOL, startsAt });
    // PHQ-9 item 9 above 0: a suicide-risk review task for the anesthesiologists (a clinical task).
    const assessment = await post(`/patients/${patientId}/assessments`, nurse, {
      instrument: 'PHQ9',
      items: [1, 1, 1, 1, 0, 0, 0, 0, 1],
      administeredAt: now(),
    });

    // A session in dosing with a critical (systolic 185) and a warning (diastolic 100) alert, and an emergency.
    await post(`/sessions/${alertSessionId}/start`, nurse, startBody, 200);
    const spike = await post<{ alerts: Array<{ id: string; level: string }> }>(
      `/sessions/${alertSessionId}/vitals`,
      nurse,
      vitals({ systolic: 185, diastolic: 100, heartRate: 96 }),
    );
    const alertOf = (level: string) => {
      const found = spike.alerts.find((x) => x.level === level);
      if (!found) throw new Error(`no ${level} alert: ${JSON.stringify(spike)}`);
      return found.id;
    };
    const emergency = await post(`/sessions/${alertSessionId}/emergency`, nurse, { symptoms: ['sudden-severe-headache'] });

    const tasks = await get<{ items: Array<{ id: string; subjectId: string }> }>('/follow-ups?limit=200', doc);
    const clinicalTask = tasks.items.find((x) => x.subjectId === assessment.id);
    if (!clinicalTask) throw new Error('no suicide-risk review task');

    const schedulingTask = async (): Promise<string> => {
      const p = await createPatient(t.http, nurse);
      const consent = await post(`/patients/${p.id}/consents`, nurse, {
        formId,
        signedAt: now(),
        signedByName: 'Ana Souza',
        method: 'in-person',
      });
      await post(`/patients/${p.id}/consents/${consent.id}/withdraw`, nurse, { reason: 'changed her mind' }, 200);
      const list = await get<{ items: Array<{ id: string; subjectId: string }> }>('/follow-ups?limit=200', a.token.admin);
      const task = list.items.find((x) => x.subjectId === consent.id);
      if (!task) throw new Error('no consent-withdrawn task for the administrators');
      return task.id;
    };
    const adminTaskId = await schedulingTask();

    fx = {
      byCollection: {
        users: a.nurse.id,
        patients: patientId,
        'consent-forms': formId,
        'follow-ups': adminTaskId,
        sessions: sessionId,
        chairs: chair.id,
        appointments: appointment.id,
        alerts: alertOf('warning'),
      },
      byParam: { consentId: consents[0].id, assessmentId: assessment.id, key: PROTOCOL },
      patientId,
      formId,
      chairId: chair.id,
      startsAt,
      day,
      highBaselineSessionId,
      criticalAlertId: alertOf('critical'),
      emergencyAlertId: emergency.id,
      clinicalTaskId: clinicalTask.id,
      schedulingTask,
      ours: [],
    };
    fx.ours = [
      a.clinic.id,
      a.nurse.id,
      a.anesthesiologist.id,
      a.admin.id,
      ...Object.values(fx.byCollection),
      consents[0].id,
      assessment.id,
      highBaselineSessionId,
      alertSessionId,
      fx.criticalAlertId,
      fx.emergencyAlertId,
      fx.clinicalTaskId,
    ];
  }, 60_000);
  afterAll(() => t.close());

  async function urlOf(c: Case, call: Call, caller: Caller): Promise<string> {
    const given = call.params ? await call.params(fx, caller) : {};
    const segments = c.path.split('/');
    const path = segments
      .map((segment, i) => {
        const param = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (!param) return segment;
        return given[param] ?? (param === 'id' ? fx.byCollection[segments[i - 1]] : fx.byParam[param]) ?? randomUUID();
      })
      .join('/');
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
    const url = await urlOf(c, call, caller);
    if (c.route === 'GET /api/v1/alerts/stream') return openStream(url, token);
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
      text: res.text,
      requestId: res.headers['x-request-id'],
    };
  }

  const refused = (res: Answer, status: number, codes: string[]) => {
    const code = res.body['code'];
    expect({ status: res.status, code }).toEqual({ status, code: codes.includes(String(code)) ? code : codes.join(' or ') });
    expect(Object.keys(res.body).sort()).toEqual(SHAPE);
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
      const named = new Set([...Object.values(TABLE_ROUTES), ...VARIANTS.map((v) => v.action)]);
      expect([...named].filter((action) => !ROLES_TABLE.has(action))).toEqual([]);
      expect([...ROLES_TABLE.keys()].filter((action) => !named.has(action))).toEqual([]);
    });
  });

  describe.each(CASES)('$name', (c) => {
    it.each(CALLERS)('%s', async (caller) => {
      if (!c.decision) throw new Error(`${c.route} has no roles decision: add it to TABLE_ROUTES or OUTSIDE_TABLE`);
      const call = c.variant?.call ?? CALLS[c.route] ?? {};
      const expected = expectationOf(c.decision, c.method, c.variant?.outsideScope);
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
          if (res.status < 300) expect(fx.ours.filter((id) => res.text.includes(id))).toEqual([]);
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
