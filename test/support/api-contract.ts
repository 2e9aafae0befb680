import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../libs/platform/src/index.js';

/*
 * Vigil's HTTP contract as docs/api.md states it, read at run time: the Roles table, the roles
 * decision of every route (the table's row, or the rule for a route the table does not name), the
 * routes of openapi.json, and the error shape. The authorization matrix and the OpenAPI fuzzing
 * both check the running API against these, so the document and the code cannot drift apart.
 */

export const API = '/api/v1';
export const ROLES: readonly Role[] = ['nurse', 'anesthesiologist', 'admin'];

// ---------------------------------------------------------------------------------------------
// api.md's Roles table

type Cell = 'yes' | 'no' | 'read' | 'scheduling-only' | 'nurse-tasks';

function parseCell(text: string, where: string): Cell {
  if (text === '✓') return 'yes';
  if (text === '–' || text === '-' || text === '—') return 'no';
  if (text === 'read') return 'read';
  if (/^✓\s*\(scheduling tasks only\)$/.test(text)) return 'scheduling-only';
  if (/^✓\s*\(nurse tasks\)$/.test(text)) return 'nurse-tasks';
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

/** docs/api.md, from the repository root (where npm test runs). */
export const API_DOC = join(process.cwd(), 'docs', 'api.md');
export const ROLES_TABLE = parseRolesTable(readFileSync(API_DOC, 'utf8'));

// The rows of the table, by their action text exactly as api.md spells it.
export const SETUP = 'users, chairs, clinic settings, consent form texts';
export const DIRECTORY = 'staff directory (names and roles), chairs: read';
export const DEMOGRAPHICS = 'patients: create, edit demographics';
export const SCREENING = 'patients: clinical screening, contraindications';
export const CONSENTS = 'consents: record signature, withdraw';
export const SCHEDULING = 'appointments, series, maintenance proposals';
export const SESSIONS = 'sessions: check-in, pre-checks, start, vitals, end, observation, discharge';
export const ANESTHESIOLOGIST_ORDERS = 'dose orders outside protocol, start despite high baseline BP, attest vitals';
export const THRESHOLDS = 'thresholds: protocol and patient overrides';
export const ACK_WARNING = 'alerts: acknowledge warning';
export const CRITICAL_ALERTS = 'alerts: acknowledge / resolve critical';
export const ASSESSMENTS = 'assessments (PHQ-9 …)';
export const CLINICAL_READ = 'vitals, alerts, assessments: read';
export const WALL_BOARD = 'wall board: the floor and its stream';
export const FOLLOW_UPS = 'follow-up tasks: read, complete';
export const FOLLOW_UPS_OF_OTHERS = "follow-up tasks: complete, reschedule, cancel another role's";
export const AUDIT = 'audit trail: read';
export const MONITORS = 'monitors: register, edit, retire';
export const MONITORS_READ = 'monitors: read';
export const UNBOUND = 'unbound monitor readings: read, attach to a session, discard';
export const FEED_LOG = 'monitor feed message log: read';
export const GATEWAYS = 'monitor gateways: read, time zone, code and unit mappings';
export const CS_REGISTRY = 'controlled substances: DEA registrations, products, DEA holidays';
export const CS_RECEIVE = 'controlled substances: receive stock';
export const CS_CLINICAL = 'controlled substances: pick a container, waste, count';
export const CS_CUSTODY = 'controlled substances: resolve discrepancies, quarantine';
export const CS_LOSS = 'controlled substances: report a theft or loss';
export const CS_LOSS_FILING = "controlled substances: record a loss's notice and Form 106";
export const CS_REPORTS = 'controlled substances: on-hand report, ledger';
export const CS_DISPOSAL = 'controlled substances: destroy stock, transfer to a reverse distributor';
export const CS_INVENTORY = 'controlled substances: take an inventory';

// ---------------------------------------------------------------------------------------------
// The roles decision of every route

export type Decision = { row: string } | { public: string } | { roles: readonly Role[]; why: string };

export const row = (action: string): Decision => ({ row: action });
const anyRole = (why: string): Decision => ({ roles: ROLES, why });
const only = (role: Role, why: string): Decision => ({ roles: [role], why });

/** Each route (method and OpenAPI path) → the Roles table row it belongs to. */
export const TABLE_ROUTES: Record<string, string> = {
  'POST /api/v1/users': SETUP,
  'GET /api/v1/users': SETUP,
  'GET /api/v1/users/{id}': SETUP,
  'PATCH /api/v1/users/{id}': SETUP,
  'POST /api/v1/users/{id}/reset-password': SETUP,
  'POST /api/v1/users/{id}/unlock': SETUP,
  'POST /api/v1/chairs': SETUP,
  'PATCH /api/v1/chairs/{id}': SETUP,
  'GET /api/v1/clinic-settings': SETUP,
  'GET /api/v1/clinic': SETUP,
  'PATCH /api/v1/clinic': SETUP,
  'PATCH /api/v1/clinic-settings': SETUP,
  'POST /api/v1/consent-forms': SETUP,
  'PATCH /api/v1/consent-forms/{id}': SETUP,
  'POST /api/v1/consent-forms/{id}/publish': SETUP,
  'POST /api/v1/consent-forms/{id}/retire': SETUP,

  // The people and chairs clinical staff must name (check-in, REMS prescriber, witness).
  'GET /api/v1/staff': DIRECTORY,
  'GET /api/v1/chairs': DIRECTORY,

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
  'PATCH /api/v1/sessions/{id}/adverse-events/{eventId}': SESSIONS,
  'GET /api/v1/sessions/{id}/adverse-events': SESSIONS,
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

  'GET /api/v1/board': WALL_BOARD,
  'GET /api/v1/board/stream': WALL_BOARD,

  'GET /api/v1/follow-ups': FOLLOW_UPS,
  'POST /api/v1/follow-ups/{id}/complete': FOLLOW_UPS,
  // Not named by api.md: the same people as complete.
  'POST /api/v1/follow-ups/{id}/reschedule': FOLLOW_UPS,
  'POST /api/v1/follow-ups/{id}/cancel': FOLLOW_UPS,

  'GET /api/v1/audit': AUDIT,

  'POST /api/v1/monitors': MONITORS,
  'PATCH /api/v1/monitors/{id}': MONITORS,
  'POST /api/v1/monitors/{id}/retire': MONITORS,
  'GET /api/v1/monitors': MONITORS_READ,
  'GET /api/v1/monitors/{id}': MONITORS_READ,

  'GET /api/v1/unbound-readings': UNBOUND,
  'POST /api/v1/unbound-readings/{id}/attach': UNBOUND,
  'POST /api/v1/unbound-readings/{id}/discard': UNBOUND,
  'GET /api/v1/hl7-messages': FEED_LOG,
  'GET /api/v1/hl7-gateways': GATEWAYS,
  'PATCH /api/v1/hl7-gateways/{id}': GATEWAYS,
  'GET /api/v1/hl7-gateways/{id}/code-maps': GATEWAYS,
  'POST /api/v1/hl7-gateways/{id}/code-maps': GATEWAYS,
  'DELETE /api/v1/hl7-gateways/{id}/code-maps/{mapId}': GATEWAYS,
  'GET /api/v1/hl7-gateways/{id}/unit-maps': GATEWAYS,
  'POST /api/v1/hl7-gateways/{id}/unit-maps': GATEWAYS,
  'DELETE /api/v1/hl7-gateways/{id}/unit-maps/{mapId}': GATEWAYS,
  'POST /api/v1/ledger/registrations': CS_REGISTRY,
  'GET /api/v1/ledger/registrations': CS_REGISTRY,
  'PATCH /api/v1/ledger/registrations/{id}': CS_REGISTRY,
  'GET /api/v1/ledger/products': CS_REGISTRY,
  'POST /api/v1/ledger/products': CS_REGISTRY,
  'POST /api/v1/ledger/receipts': CS_RECEIVE,
  'GET /api/v1/ledger/receipts': CS_RECEIVE,
  'POST /api/v1/ledger/receipts/{id}/count': CS_RECEIVE,
  'GET /api/v1/ledger/containers': CS_CLINICAL,
  'POST /api/v1/ledger/waste': CS_CLINICAL,
  'POST /api/v1/ledger/counts': CS_CLINICAL,
  'GET /api/v1/ledger/discrepancies': CS_CUSTODY,
  'POST /api/v1/ledger/discrepancies/{id}/resolve': CS_CUSTODY,
  'POST /api/v1/ledger/containers/{id}/quarantine': CS_CUSTODY,
  'POST /api/v1/ledger/containers/{id}/release': CS_CUSTODY,
  'GET /api/v1/ledger/on-hand': CS_REPORTS,
  'GET /api/v1/ledger/events': CS_REPORTS,
  'GET /api/v1/ledger/reports/dispensing': CS_REPORTS,
  'GET /api/v1/ledger/reports/dispensing/csv': CS_REPORTS,
  'POST /api/v1/ledger/holidays': CS_REGISTRY,
  'GET /api/v1/ledger/holidays': CS_REGISTRY,
  'DELETE /api/v1/ledger/holidays/{id}': CS_REGISTRY,
  'POST /api/v1/ledger/losses': CS_LOSS,
  'GET /api/v1/ledger/losses': CS_LOSS,
  'GET /api/v1/ledger/losses/{id}': CS_LOSS,
  'POST /api/v1/ledger/losses/{id}/notice': CS_LOSS_FILING,
  'POST /api/v1/ledger/losses/{id}/form-106': CS_LOSS_FILING,
  'POST /api/v1/ledger/destructions': CS_DISPOSAL,
  'POST /api/v1/ledger/transfers': CS_DISPOSAL,
  'GET /api/v1/ledger/disposals': CS_DISPOSAL,
  'GET /api/v1/ledger/disposals/{id}': CS_DISPOSAL,
  'POST /api/v1/ledger/inventories': CS_INVENTORY,
  // Past inventories show the ledger's balances: not for nurses, whose counts are blind.
  'GET /api/v1/ledger/inventories': CS_REPORTS,
  'GET /api/v1/ledger/inventories/{id}': CS_REPORTS,
  'GET /api/v1/ledger/reports/receipts': CS_REPORTS,
  'GET /api/v1/ledger/reports/receipts/csv': CS_REPORTS,
  'GET /api/v1/ledger/reports/discrepancies': CS_REPORTS,
  'GET /api/v1/ledger/reports/discrepancies/csv': CS_REPORTS,
  'GET /api/v1/ledger/reports/losses': CS_REPORTS,
  'GET /api/v1/ledger/reports/losses/csv': CS_REPORTS,
  'GET /api/v1/ledger/reports/disposals': CS_REPORTS,
  'GET /api/v1/ledger/reports/disposals/csv': CS_REPORTS,
  'GET /api/v1/ledger/reports/inventories': CS_REPORTS,
  'GET /api/v1/ledger/reports/inventories/csv': CS_REPORTS,
  'GET /api/v1/ledger/reports/on-hand': CS_REPORTS,
  'GET /api/v1/ledger/reports/on-hand/csv': CS_REPORTS,
  'GET /api/v1/ledger/reports/on-hand/pdf': CS_REPORTS,
  'GET /api/v1/ledger/reports/dispensing/pdf': CS_REPORTS,
  'GET /api/v1/ledger/reports/receipts/pdf': CS_REPORTS,
  'GET /api/v1/ledger/reports/discrepancies/pdf': CS_REPORTS,
  'GET /api/v1/ledger/reports/losses/pdf': CS_REPORTS,
  'GET /api/v1/ledger/reports/disposals/pdf': CS_REPORTS,
  'GET /api/v1/ledger/reports/inventories/pdf': CS_REPORTS,
};

/** Routes the table does not name, each with its rule and where that rule comes from. */
export const OUTSIDE_TABLE: Record<string, Decision> = {
  'POST /api/v1/auth/login': { public: 'api.md: login is public' },
  'POST /api/v1/auth/refresh': { public: 'api.md: refresh is public' },
  'GET /api/v1/auth/me': anyRole('who am I'),
  'POST /api/v1/auth/password': anyRole('api.md: every user changes their own password'),
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
  'GET /api/v1/notifications': anyRole('api.md: each user reads the mail addressed to them; administrators the delivery state of the rest'),
  'POST /api/v1/closures': only('admin', 'api.md: the clinic’s closed days are set by administrators'),
  'GET /api/v1/closures': only('admin', 'api.md: as POST /closures'),
  'DELETE /api/v1/closures/{id}': only('admin', 'api.md: as POST /closures'),
  // api.md does not name it: the code's choice, pinned here until api.md says otherwise.
  'POST /api/v1/patients/{id}/discharge-from-care': {
    roles: ['anesthesiologist', 'admin'],
    why: 'not in api.md; ending treatment is a clinician’s decision with scheduling consequences',
  },
  'POST /api/v1/patients/{id}/readmit': {
    roles: ['anesthesiologist', 'admin'],
    why: 'api.md: the same people as discharge from care',
  },
};

export function decisionOf(route: string): Decision | undefined {
  const action = TABLE_ROUTES[route];
  return action !== undefined ? row(action) : OUTSIDE_TABLE[route];
}

// ---------------------------------------------------------------------------------------------
// The routes of openapi.json

/** The part of JSON Schema the OpenAPI document uses for request bodies and parameters. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  example?: unknown;
}

export interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export const openapi = JSON.parse(readFileSync(join(process.cwd(), 'openapi.json'), 'utf8')) as OpenApiDocument;
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'];
export const OPENAPI_ROUTES = Object.entries(openapi.paths)
  .filter(([path]) => path.startsWith(`${API}/`))
  .flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => HTTP_METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

// ---------------------------------------------------------------------------------------------
// Expectations

export interface Expectation {
  public: boolean;
  allowed: Role[];
  /** roles refused by a record-level scope: 403, or 404 as for a record they cannot see */
  scopedOut: Role[];
}

/**
 * `assignee`: the role the follow-up acted on is assigned to. Who may act on it is narrowed by the
 * row of acting on another role's task (api.md: the assignee role, and anesthesiologists for the nurses' tasks).
 */
export function expectationOf(decision: Decision, method: string, outsideScope = false, assignee?: Role): Expectation {
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
  if (!assignee) return { public: false, allowed, scopedOut };
  const others = ROLES_TABLE.get(FOLLOW_UPS_OF_OTHERS);
  const mayAct = (role: Role) => role === assignee || (others?.[role] === 'nurse-tasks' && assignee === 'nurse');
  return { public: false, allowed: allowed.filter(mayAct), scopedOut: [...scopedOut, ...allowed.filter((r) => !mayAct(r))] };
}

/** api.md: every error answer has exactly these fields. */
export const ERROR_SHAPE = ['code', 'details', 'message', 'requestId', 'statusCode'];
