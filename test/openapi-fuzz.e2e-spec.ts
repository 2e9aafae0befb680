import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { localParts, zonedTimeToUtc, type Role } from '../libs/platform/src/index.js';
import { API, decisionOf, ERROR_SHAPE, expectationOf, openapi, type JsonSchema } from './support/api-contract.js';
import { startTestApp, type TestApp } from './support/app.js';
import { ClinicFingerprint, changedTables, type Fingerprint } from './support/clinic-fingerprint.js';
import { bearer, clinicWithStaff, createPatient, createUser, login, patientBody, PASSWORD, type Staff } from './support/factories.js';
import {
  deep,
  mutatedOf,
  notAnObject,
  refusedBecause,
  resolve,
  validOf,
  type Probe,
  type SchemaContext,
} from './support/openapi-arbitraries.js';
import {
  buildFixtures,
  CALLS,
  closureDay,
  fixturePost,
  gatewayMap,
  hl7Gateway,
  now,
  pathOf,
  PROTOCOL,
  randomEui64,
  unboundReading,
  type Fixtures,
} from './support/route-fixtures.js';
import { ADDRESS, doseVials } from './support/ledger.js';
import { LEDGER_TARGETS } from './support/ledger-fuzz-targets.js';
import { sessionAt, startFrom, vitals, type FixtureStatus } from './support/sessions.js';

/*
 * Every write operation of openapi.json, fuzzed from its own schemas (issue 7): bodies the
 * document calls valid, mutations of them (fields dropped, nulled, retyped, out of range, huge,
 * unknown, nested junk, ids that are not uuids or name another clinic's records), path ids that
 * exist nowhere or elsewhere, and bodies that are not JSON at all. Each call is made by a role
 * api.md's Roles table lets in, on real records in a suitable state, and every answer must:
 *   - be below 500;
 *   - when refused, have api.md's error shape (a 400 names the field or rule, a 422 the rules);
 *   - be refused when the document itself refuses the request, or it names another clinic's record;
 *   - when refused, have written nothing: no row added, changed or removed in any table of the
 *     clinics involved, audit trail included (a fingerprint of the clinics before and after).
 * Clinic A holds the clinical records; C the settings, users and consent texts (fuzzing them would
 * change the rules A's records are checked against); D the sign-ins; B is "another clinic" and
 * must never change. VIGIL_FUZZ_RUNS=<n> runs more cases per operation (default 10);
 * VIGIL_FUZZ_STATS=1 prints the statuses each operation answered (how many calls reached its rules).
 */

const RUNS = Number(process.env['VIGIL_FUZZ_RUNS'] ?? 10);
/** Records made again after a 2xx used one up, per operation: each costs up to eight requests. */
const RENEWALS = Math.max(1, Math.floor(RUNS / 5));
const WRITE_METHODS = ['post', 'put', 'patch', 'delete'];

interface Operation {
  route: string;
  method: string;
  path: string;
  body?: JsonSchema;
}

const WRITE_OPERATIONS: Operation[] = Object.entries(openapi.paths)
  .filter(([path]) => path.startsWith(`${API}/`))
  .flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => WRITE_METHODS.includes(method))
      .map(([method, op]) => ({
        route: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
      })),
  );

/** Write operations not fuzzed, each with why. None today: a new route needs a target below or a reason here. */
const EXCLUDED: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------
// The records each operation is called on

type Record_ = Record<string, string>;

/** Makes the records the targets need: clinical ones in A, consent texts in C, sign-ins in D. */
class Kit {
  private slotDays = 60;
  private seriesDays = 200;
  private chair?: string;
  /** A vial of A's not drawn from yet: A has a DEA registration, so every start names the vial it draws from. */
  readonly vial: () => Promise<string>;

  constructor(
    readonly t: TestApp,
    readonly a: Staff,
    readonly c: Staff,
    readonly fx: Fixtures,
  ) {
    this.vial = doseVials(t.http, a, fx.byCollection['registrations']);
  }

  private post<T = { id: string }>(path: string, token: string, body: object, status = 201): Promise<T> {
    return fixturePost<T>(this.t.http, path, token, body, status);
  }

  /**
   * A patient of A with an active off-label ketamine consent (on the fixtures' form), and the address
   * a dose drawn from a vial is recorded with.
   */
  async patient(): Promise<string> {
    const { id } = await createPatient(this.t.http, this.a.token.nurse, { address: ADDRESS });
    await this.post(`/patients/${id}/consents`, this.a.token.nurse, {
      formId: this.fx.formId,
      signedAt: now(),
      signedByName: 'Ana Souza',
      method: 'in-person',
    });
    return id;
  }

  /** A session of A taken to `status`; once started, it drew its dose from a vial of its own. */
  async session(status: FixtureStatus): Promise<Record_> {
    const containerId = ['scheduled', 'checked_in', 'ready'].includes(status) ? undefined : await this.vial();
    return { id: await sessionAt(this.t.http, this.a, status, { patientId: await this.patient(), containerId }) };
  }

  /** A weekday at 10:00 in A's zone, a different day each call (two months on, clear of the fixtures). */
  nextSlot(): string {
    for (;;) {
      const p = localParts(new Date(Date.now() + this.slotDays++ * 86_400_000), this.a.clinic.timeZone);
      if (p.weekday !== 'sat' && p.weekday !== 'sun') return zonedTimeToUtc(p.date, '10:00', this.a.clinic.timeZone).toISOString();
    }
  }

  /** A Monday for a treatment series, a month apart each call (clear of the single appointments). */
  seriesDay(): string {
    for (;;) {
      const p = localParts(new Date(Date.now() + this.seriesDays++ * 86_400_000), this.a.clinic.timeZone);
      if (p.weekday === 'mon') {
        this.seriesDays += 30;
        return p.date;
      }
    }
  }

  async chairId(): Promise<string> {
    this.chair ??= (await this.post('/chairs', this.a.token.admin, { name: `Fuzz chair ${randomBytes(3).toString('hex')}` })).id;
    return this.chair;
  }

  /** A monitor gateway of A. */
  async gateway(): Promise<Record_> {
    return { id: await hl7Gateway(this.t.runtime.dataSource, this.a.clinic.id) };
  }

  /** One of a gateway of A's own code or unit mappings. */
  async gatewayMap(kind: 'code' | 'unit'): Promise<Record_> {
    const { id } = await this.gateway();
    return { id, mapId: await gatewayMap(this.t.runtime.dataSource, id, kind) };
  }

  /** A monitor of A in use (at the fuzzing chair). */
  async monitor(): Promise<Record_> {
    const body = { name: `Fuzz monitor ${randomUUID()}`, chairId: await this.chairId(), eui64: randomEui64() };
    return { id: (await this.post('/monitors', this.a.token.admin, body)).id };
  }

  /** An appointment of a new patient, on a free weekday (a series may have taken a slot: the next is tried). */
  async appointment(status: 'booked' | 'tentative' = 'booked'): Promise<Record_> {
    const body = { patientId: await this.patient(), chairId: await this.chairId(), protocol: PROTOCOL, status };
    for (let attempt = 0; attempt < 10; attempt++) {
      const res = await this.t.http
        .post(`${API}/appointments`)
        .set(bearer(this.a.token.admin))
        .send({ ...body, startsAt: this.nextSlot() });
      if (res.status === 201) return { id: (res.body as { id: string }).id };
    }
    throw new Error('no free slot for a fixture appointment');
  }

  /** An open warning alert (diastolic 100) on a session in dosing; the session's previous one resolved first. */
  async warningAlert(sessionId: string, previous?: string): Promise<Record_> {
    if (previous)
      await this.t.http
        .post(`${API}/alerts/${previous}/resolve`)
        .set(bearer(this.a.token.anesthesiologist))
        .send({ note: 'fuzz: next alert' });
    const spike = await this.post<{ alerts: Array<{ id: string; level: string; status: string }> }>(
      `/sessions/${sessionId}/vitals`,
      this.a.token.nurse,
      vitals({ diastolic: 100 }),
    );
    const alert = spike.alerts.find((x) => x.level === 'warning' && x.status === 'open');
    if (!alert) throw new Error(`no open warning alert: ${JSON.stringify(spike)}`);
    return { id: alert.id, sessionId };
  }

  /** A high-risk C-SSRS screener (recent behaviour): it waits for an anesthesiologist's review. */
  async highRiskScreener(): Promise<Record_> {
    const id = await this.patient();
    const screener = await this.post(`/patients/${id}/assessments`, this.a.token.nurse, {
      instrument: 'CSSRS',
      items: [true, true, true, true, true, true],
      behaviourPastThreeMonths: true,
      administeredAt: now(),
    });
    return { id, assessmentId: screener.id };
  }

  /** A draft consent text of C. */
  async draftForm(): Promise<Record_> {
    const form = await this.post('/consent-forms', this.c.token.admin, {
      kind: 'general-procedure',
      title: 'Draft',
      body: 'text',
      publish: false,
    });
    return { id: form.id };
  }

  /** A published consent text of C, never signed. */
  async publishedForm(): Promise<Record_> {
    const form = await this.post('/consent-forms', this.c.token.admin, { kind: 'general-procedure', title: 'Published', body: 'text' });
    return { id: form.id };
  }

  /** A fresh sign-in of a fuzzing user (of D), for the refresh and logout routes. */
  async refreshToken(email: string): Promise<Record_> {
    return { refreshToken: (await login(this.t.http, email)).refreshToken };
  }
}

interface Target {
  /**
   * The clinic the route acts in, when not A: C for what changes the rules, staff or consent texts
   * every other record is checked against; D for signing in, whose refused tokens the audit trail
   * may summarise a minute later (a write no other route's fuzzing must see).
   */
  clinic?: 'settings' | 'sign-in';
  /** the records the call acts on: path parameters and what the body names */
  record?: (k: Kit, last: Record_) => Promise<Record_>;
  /** a 2xx uses the record up (a state change): a new one is made for the next call */
  usedUp?: true;
  /** a valid body for the record; default: the authorization matrix's (CALLS) */
  body?: (r: Record_, k: Kit) => unknown;
  /** auth code writes on purpose when it refuses a sign-in or a token: audit row, lock-out counter, revoked token family */
  securityRefusals?: true;
}

const patient = async (k: Kit): Promise<Record_> => ({ id: await k.patient() });
let edits = 0;
const at =
  (status: FixtureStatus) =>
  (k: Kit): Promise<Record_> =>
    k.session(status);
/** D's users for the sign-in routes: the login fuzzing locks its own out with wrong passwords, so tokens come from another. */
const SIGN_IN = `fuzz-sign-in-${randomBytes(4).toString('hex')}@vigil.test`;
const TOKENS_OF = `fuzz-tokens-${randomBytes(4).toString('hex')}@vigil.test`;

/** A refresh token of a fresh sign-in: refreshing or logging out uses it up. */
const withRefreshToken: Target = {
  clinic: 'sign-in',
  securityRefusals: true,
  usedUp: true,
  record: (k) => k.refreshToken(TOKENS_OF),
  body: (r) => ({ refreshToken: r.refreshToken }),
};

const TARGETS: Record<string, Target> = {
  'POST /api/v1/auth/login': { clinic: 'sign-in', securityRefusals: true, body: () => ({ email: SIGN_IN, password: PASSWORD }) },
  'POST /api/v1/auth/refresh': withRefreshToken,
  'POST /api/v1/auth/logout': withRefreshToken,
  'POST /api/v1/users': {
    clinic: 'settings',
    body: () => ({
      email: `fuzz-${randomBytes(4).toString('hex')}@vigil.test`,
      name: 'Fuzz Nurse',
      role: 'nurse',
      password: 'correct horse battery',
    }),
  },
  'PATCH /api/v1/users/{id}': {
    clinic: 'settings',
    record: async (k) => ({ id: (await createUser(k.t.runtime.dataSource, k.c.clinic.id, 'nurse')).id }),
  },
  // D's staff: a wrong current password (all the fuzzing can send) counts toward the login back-off, as at login.
  'POST /api/v1/auth/password': {
    clinic: 'sign-in',
    securityRefusals: true,
    body: () => ({ currentPassword: 'not the password', newPassword: 'a long enough new password' }),
  },
  'POST /api/v1/users/{id}/reset-password': {
    clinic: 'settings',
    record: async (k) => ({ id: (await createUser(k.t.runtime.dataSource, k.c.clinic.id, 'nurse')).id }),
  },
  'POST /api/v1/users/{id}/unlock': {
    clinic: 'settings',
    record: async (k) => ({ id: (await createUser(k.t.runtime.dataSource, k.c.clinic.id, 'nurse')).id }),
  },
  'POST /api/v1/patients': { body: () => patientBody() },
  'PATCH /api/v1/patients/{id}': { record: patient },
  'POST /api/v1/patients/{id}/weights': { record: patient },
  'PUT /api/v1/patients/{id}/contraindications': {
    record: patient,
    body: () => ({
      answers: [{ item: 'psychosis-history', present: false }],
      allergies: [{ substance: 'latex' }],
      medications: [{ name: 'Sertraline', drugClass: 'other' }],
    }),
  },
  'POST /api/v1/patients/{id}/contraindications/acknowledge': { record: patient },
  'POST /api/v1/patients/{id}/consents': { record: patient },
  'POST /api/v1/patients/{id}/consents/{consentId}/withdraw': {
    usedUp: true,
    record: async (k) => {
      const id = await k.patient();
      const consents = await k.t.http.get(`${API}/patients/${id}/consents`).set(bearer(k.a.token.nurse));
      return { id, consentId: (consents.body.items as Array<{ id: string }>)[0].id };
    },
  },
  'POST /api/v1/consent-forms': {
    clinic: 'settings',
    body: () => ({ kind: 'general-procedure', title: 'General procedure', body: 'text', publish: false }),
  },
  // A fresh draft after each edit: the seed body sends its first revision.
  'PATCH /api/v1/consent-forms/{id}': { clinic: 'settings', usedUp: true, record: (k) => k.draftForm() },
  'POST /api/v1/consent-forms/{id}/retire': { clinic: 'settings', usedUp: true, record: (k) => k.publishedForm() },
  'POST /api/v1/consent-forms/{id}/publish': { clinic: 'settings', usedUp: true, record: (k) => k.draftForm() },
  'PATCH /api/v1/protocols/{key}': {
    clinic: 'settings',
    record: () => Promise.resolve({ key: PROTOCOL }),
    // An edit that changes nothing is refused: a new duration each time.
    body: () => ({ reason: 'fuzzing the protocol', durationMin: 41 + (edits++ % 60) }),
  },
  'POST /api/v1/follow-ups/{id}/complete': { usedUp: true, record: async (k) => ({ id: await k.fx.schedulingTask() }) },
  'POST /api/v1/follow-ups/{id}/reschedule': { record: async (k) => ({ id: await k.fx.schedulingTask() }) },
  'POST /api/v1/follow-ups/{id}/cancel': { usedUp: true, record: async (k) => ({ id: await k.fx.schedulingTask() }) },
  'POST /api/v1/sessions': {
    usedUp: true,
    record: async (k) => ({ patientId: await k.patient() }),
    body: (r) => ({ patientId: r.patientId, protocol: PROTOCOL }),
  },
  'POST /api/v1/sessions/{id}/check-in': { usedUp: true, record: at('scheduled'), body: () => ({ chairLabel: 'Chair 1' }) },
  'POST /api/v1/sessions/{id}/pre-checks': { usedUp: true, record: at('checked_in') },
  // A ready session and a vial of its own: each start that succeeds draws 35 mg from it.
  'POST /api/v1/sessions/{id}/start': {
    usedUp: true,
    record: async (k) => ({ ...(await k.session('ready')), containerId: await k.vial() }),
    body: (r) => startFrom(r.containerId),
  },
  'POST /api/v1/sessions/{id}/pause': { usedUp: true, record: at('dosing') },
  'POST /api/v1/sessions/{id}/resume': { usedUp: true, record: at('paused'), body: () => ({}) },
  'POST /api/v1/sessions/{id}/rate': { record: at('dosing') },
  'POST /api/v1/sessions/{id}/end-dosing': { usedUp: true, record: at('dosing'), body: () => ({ reason: 'nausea; stopped early' }) },
  'POST /api/v1/sessions/{id}/abort': { usedUp: true, record: at('dosing') },
  'POST /api/v1/sessions/{id}/cancel': { usedUp: true, record: at('scheduled') },
  'POST /api/v1/sessions/{id}/no-show': { usedUp: true, record: at('scheduled'), body: () => ({}) },
  'POST /api/v1/sessions/{id}/vitals': { record: at('dosing') },
  'POST /api/v1/sessions/{id}/vitals/batch': { record: at('dosing') },
  'POST /api/v1/sessions/{id}/emergency': { record: at('dosing') },
  'POST /api/v1/sessions/{id}/observation-checks': { record: at('observation') },
  'POST /api/v1/sessions/{id}/adverse-events': { record: at('observation') },
  'PATCH /api/v1/sessions/{id}/adverse-events/{eventId}': {
    record: async (k) => {
      const s = await k.session('observation');
      const e = await fixturePost(k.t.http, `/sessions/${s.id}/adverse-events`, k.a.token.nurse, {
        kind: 'anxiety',
        severity: 'mild',
        onsetAt: now(),
        actionTaken: 'reassurance',
        outcome: 'ongoing',
      });
      return { id: s.id, eventId: e.id };
    },
  },
  'POST /api/v1/sessions/{id}/attest-vitals': {
    // In observation with a latest reading over the warning line: what an attestation is for.
    record: async (k) => {
      const s = await k.session('observation');
      await fixturePost(k.t.http, `/sessions/${s.id}/vitals`, k.a.token.nurse, vitals({ systolic: 165 }));
      return s;
    },
  },
  // Observation has only just begun: every discharge is refused (422), which is what is checked here.
  'POST /api/v1/sessions/{id}/discharge': { record: at('observation') },
  'POST /api/v1/patients/{id}/assessments': { record: patient },
  'POST /api/v1/patients/{id}/assessments/{assessmentId}/review': { usedUp: true, record: (k) => k.highRiskScreener() },
  'POST /api/v1/chairs': { body: () => ({ name: `Chair ${randomBytes(3).toString('hex')}` }) },
  'PATCH /api/v1/chairs/{id}': {
    record: async (k) => ({ id: (await fixturePost(k.t.http, '/chairs', k.a.token.admin, { name: `Fuzz ${randomUUID()}` })).id }),
  },
  'POST /api/v1/appointments': {
    usedUp: true,
    record: async (k) => ({ patientId: await k.patient(), chairId: await k.chairId(), startsAt: k.nextSlot() }),
    body: (r) => ({ patientId: r.patientId, chairId: r.chairId, protocol: PROTOCOL, startsAt: r.startsAt }),
  },
  'POST /api/v1/appointments/{id}/cancel': { usedUp: true, record: (k) => k.appointment() },
  'POST /api/v1/appointments/{id}/no-show': { usedUp: true, record: (k) => k.appointment() },
  'POST /api/v1/appointments/{id}/confirm': { usedUp: true, record: (k) => k.appointment('tentative') },
  'POST /api/v1/appointments/{id}/move': {
    usedUp: true,
    record: async (k) => ({ ...(await k.appointment()), startsAt: k.nextSlot() }),
    body: (r) => ({ startsAt: r.startsAt }),
  },
  'POST /api/v1/patients/{id}/discharge-from-care': { usedUp: true, record: patient },
  'POST /api/v1/closures': { body: () => ({ date: closureDay(), reason: 'staff training' }) },
  'POST /api/v1/monitors': {
    record: async (k) => ({ chairId: await k.chairId() }),
    body: (r) => ({ name: `Monitor ${randomUUID()}`, chairId: r.chairId, eui64: randomEui64() }),
  },
  'PATCH /api/v1/monitors/{id}': { record: (k) => k.monitor() },
  'POST /api/v1/monitors/{id}/retire': { usedUp: true, record: (k) => k.monitor() },
  'POST /api/v1/unbound-readings/{id}/attach': {
    usedUp: true,
    record: async (k) => ({ id: await unboundReading(k.t.runtime.dataSource, k.a.clinic.id), sessionId: (await k.session('dosing')).id }),
    body: (r) => ({ sessionId: r.sessionId }),
  },
  'POST /api/v1/unbound-readings/{id}/discard': {
    usedUp: true,
    record: async (k) => ({ id: await unboundReading(k.t.runtime.dataSource, k.a.clinic.id) }),
  },
  'PATCH /api/v1/hl7-gateways/{id}': { record: (k) => k.gateway(), body: () => ({ timeZone: 'America/Chicago' }) },
  'POST /api/v1/hl7-gateways/{id}/code-maps': {
    record: (k) => k.gateway(),
    body: () => ({ system: 'MDIL', code: `0002-${randomBytes(2).toString('hex')}`, field: 'systolic', reason: 'fuzzing a vendor code' }),
  },
  'POST /api/v1/hl7-gateways/{id}/unit-maps': {
    record: (k) => k.gateway(),
    body: () => ({ unit: `u-${randomBytes(2).toString('hex')}`, toUnit: '%', reason: 'fuzzing a vendor unit' }),
  },
  'DELETE /api/v1/hl7-gateways/{id}/code-maps/{mapId}': { usedUp: true, record: (k) => k.gatewayMap('code') },
  'DELETE /api/v1/hl7-gateways/{id}/unit-maps/{mapId}': { usedUp: true, record: (k) => k.gatewayMap('unit') },
  'DELETE /api/v1/closures/{id}': {
    usedUp: true,
    record: async (k) => ({
      id: (await fixturePost(k.t.http, '/closures', k.a.token.admin, { date: closureDay(), reason: 'holiday' })).id,
    }),
  },
  'POST /api/v1/patients/{id}/readmit': {
    usedUp: true,
    record: async (k) => {
      const r = await patient(k);
      await fixturePost(k.t.http, `/patients/${r.id}/discharge-from-care`, k.a.token.admin, { reason: 'moved away' }, 200);
      return r;
    },
  },
  'POST /api/v1/patients/{id}/series': {
    usedUp: true,
    record: async (k) => ({ id: await k.patient(), day: k.seriesDay() }),
    body: (r) => ({ protocol: PROTOCOL, startDate: r.day, preferredTime: '09:00' }),
  },
  'POST /api/v1/alerts/{id}/acknowledge': {
    usedUp: true,
    record: async (k, last) => k.warningAlert(last.sessionId ?? (await k.session('dosing')).id, last.id),
  },
  'POST /api/v1/alerts/{id}/resolve': {
    usedUp: true,
    record: async (k, last) => k.warningAlert(last.sessionId ?? (await k.session('dosing')).id),
  },
  'PATCH /api/v1/thresholds': {
    clinic: 'settings',
    body: () => ({ thresholds: { systolic: { high: { warning: 165 } } }, reason: 'fuzzing the clinic layer' }),
  },
  'PUT /api/v1/patients/{id}/thresholds': { record: patient },
  // C has no bookings: any zone the fuzzing gets right is taken; each edit needs the version it read.
  'PATCH /api/v1/clinic': {
    clinic: 'settings',
    usedUp: true,
    record: async (k) => ({ version: String((await k.t.http.get(`${API}/clinic`).set(bearer(k.c.token.admin))).body.version) }),
    body: (r) => ({ name: `Fuzz clinic ${randomBytes(2).toString('hex')}`, version: Number(r.version) }),
  },
  'PATCH /api/v1/clinic-settings': { clinic: 'settings', body: () => ({ appointmentTurnoverMin: 20, reason: 'fuzzing the settings' }) },
  ...LEDGER_TARGETS,
};

// ---------------------------------------------------------------------------------------------
// What is sent

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${h}`.padStart(2, '0') + ':' + `${m}`.padStart(2, '0'));
/** openingHours is free-form in the document; its description gives the shape. */
const openingHours = fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, fc.array(fc.tuple(hhmm, hhmm), { maxLength: 2 })])), {
  requiredKeys: WEEKDAYS,
});

type PathKind = 'ours' | 'nowhere' | 'not an id' | 'another clinic';
/** Mostly our record, so that bodies reach the rules. */
const PATH_KINDS: PathKind[] = ['ours', 'ours', 'ours', 'ours', 'ours', 'ours', 'ours', 'nowhere', 'not an id', 'another clinic'];
/** Path segments that are no id (sent percent-encoded), and malformed percent-encodings (sent as they are). */
const NOT_IDS = ['abc', '1', '-1', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(300), '%00', "1' OR '1'='1", ' ', 'null'];
const BAD_ENCODINGS = ['%E0%A4%A', '%zz'];

interface Call {
  role?: Role;
  url: string;
  pathKind: PathKind;
  probe: Probe;
  /** how the body travels: JSON, or something else a client might send by mistake */
  transport: 'json' | 'malformed json' | 'prototype key' | 'empty json' | 'text/plain' | 'form';
  idempotencyKey?: string;
}

const describeCall = (op: Operation, c: Call) =>
  `${op.method} ${c.url} as ${c.role ?? 'nobody'} (${c.pathKind}, ${c.transport}${c.idempotencyKey !== undefined ? ', Idempotency-Key' : ''}); ` +
  `body: ${c.probe.done.join('; ') || 'as built'}: ${(JSON.stringify(c.probe.body) ?? 'undefined').slice(0, 300)}`;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  requestId: string | undefined;
}

/** What api.md says of an answer to this call; an empty list when it holds. */
function problemsOf(op: Operation, call: Call, res: Answer): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`answered ${res.status}`);
  if (res.status >= 400) {
    const b = res.body;
    const details = b['details'];
    if (Object.keys(b).sort().join() !== ERROR_SHAPE.join())
      problems.push(`error fields ${Object.keys(b).sort().join()} instead of ${ERROR_SHAPE.join()}`);
    if (b['statusCode'] !== res.status) problems.push(`statusCode ${String(b['statusCode'])} in a ${res.status}`);
    if (!res.requestId || b['requestId'] !== res.requestId) problems.push('requestId is not the X-Request-Id of the answer');
    if (typeof b['code'] !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(b['code'])) problems.push(`code ${JSON.stringify(b['code'])}`);
    if (typeof b['message'] !== 'string' || !b['message']) problems.push('no message');
    const list = Array.isArray(details) ? (details as Array<Record<string, unknown>>) : undefined;
    if (!list) problems.push('details is not a list');
    else if (list.some((d) => !d || typeof d !== 'object' || typeof d['message'] !== 'string')) problems.push('a detail without a message');
    if (res.status === 400) {
      if (b['code'] !== 'VALIDATION_FAILED') problems.push(`a 400 with code ${String(b['code'])}`);
      // An unknown property may be named "" in JSON: a field still, if an empty one.
      if (!list?.length || list.some((d) => typeof d['field'] !== 'string' && !(typeof d['code'] === 'string' && d['code'])))
        problems.push('a 400 whose details do not all name a field or a rule');
    }
    if (res.status === 422 && (!list?.length || list.some((d) => typeof d['code'] !== 'string')))
      problems.push('a 422 whose details do not all name a rule by code');
  }
  const must = mustRefuseBecause(op, call);
  if (must && res.status < 400) problems.push(`answered ${res.status} although ${must}`);
  // A reused Idempotency-Key is refused (409) before the record is looked up, whatever the path names.
  const reusedKey = res.status === 409 && res.body['code'] === 'IDEMPOTENCY_KEY_REUSED';
  if ((call.pathKind === 'nowhere' || call.pathKind === 'another clinic') && ![400, 404, 413, 415].includes(res.status) && !reusedKey)
    problems.push(`answered ${res.status} for a record of ${call.pathKind === 'nowhere' ? 'nowhere' : 'another clinic'} (api.md: 404)`);
  return problems;
}

/** Why the request must be refused, whatever the record's state. */
function mustRefuseBecause(op: Operation, call: Call): string | undefined {
  if (['malformed json', 'prototype key', 'empty json'].includes(call.transport)) return `the body is ${call.transport}`;
  if (call.pathKind !== 'ours') return `the path names ${call.pathKind}`;
  if (call.transport !== 'json' || !op.body) return undefined;
  if (call.probe.foreignAt.length) return 'the body names another clinic’s record';
  return refusedBecause(call.probe);
}

// ---------------------------------------------------------------------------------------------

describe('every write operation of openapi.json under random and hostile input', () => {
  let t: TestApp;
  let a: Staff;
  let b: Staff;
  let c: Staff;
  let d: Staff;
  let fx: Fixtures;
  let theirs: Fixtures;
  let kit: Kit;
  let fingerprint: ClinicFingerprint;

  beforeAll(async () => {
    t = await startTestApp();
    [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => clinicWithStaff(t.runtime.dataSource, t.http)));
    [fx, theirs] = await Promise.all([buildFixtures(t.http, a, t.runtime.dataSource), buildFixtures(t.http, b, t.runtime.dataSource)]);
    kit = new Kit(t, a, c, fx);
    fingerprint = await ClinicFingerprint.of(t.runtime.dataSource);
    for (const email of [SIGN_IN, TOKENS_OF]) await createUser(t.runtime.dataSource, d.clinic.id, 'nurse', { email });
  }, 120_000);
  afterAll(() => t.close());

  /** Ids a body field may name, by its name: ours (clinic A) and another clinic's (B). */
  const idsOf = (f: Fixtures, staff: Staff, field: string): string[] => {
    switch (field) {
      case 'patientId':
        return [f.patientId];
      case 'chairId':
        return [f.chairId];
      case 'formId':
        return [f.formId];
      case 'appointmentId':
        return [f.byCollection['appointments']];
      case 'sessionId':
        return [f.byCollection['sessions'], f.alertSessionId];
      case 'witnessUserId':
      case 'anesthesiologistUserId':
      case 'prescriberUserId':
        return [staff.anesthesiologist.id, staff.nurse.id];
      default:
        return [];
    }
  };

  const context = (): SchemaContext => {
    const ctx: SchemaContext = {
      doc: openapi,
      ids: { ours: (field) => idsOf(fx, a, field), theirs: (field) => idsOf(theirs, b, field) },
      freeForm: { openingHours },
    };
    // thresholds is free-form in the document; its description gives the shape: any subset of the threshold set.
    ctx.freeForm = { ...ctx.freeForm, thresholds: validOf({ $ref: '#/components/schemas/ThresholdSetDto' }, ctx, 'thresholds', true) };
    return ctx;
  };

  /** The path with our record, or with one that exists nowhere, is not an id, or is another clinic's. */
  function pathFor(op: Operation, record: Record_, kind: PathKind, pick: number): string {
    const filled = pathOf(op.path, fx, record).split('/');
    if (kind === 'ours') return filled.join('/');
    const segments = op.path.split('/');
    const at = segments.map((s, i) => (/^\{\w+\}$/.test(s) ? i : -1)).filter((i) => i >= 0);
    const i = at[pick % at.length];
    const param = segments[i].slice(1, -1);
    if (kind === 'nowhere') filled[i] = param === 'key' ? 'no-such-protocol' : randomUUID();
    else if (kind === 'not an id') {
      const n = pick % (NOT_IDS.length + BAD_ENCODINGS.length);
      filled[i] = n < NOT_IDS.length ? encodeURIComponent(NOT_IDS[n]) : BAD_ENCODINGS[n - NOT_IDS.length];
    } else filled[i] = (param === 'id' ? theirs.byCollection[segments[i - 1]] : theirs.byParam[param]) ?? randomUUID();
    return filled.join('/');
  }

  function bodiesFor(op: Operation, seed: unknown, ctx: SchemaContext): fc.Arbitrary<Probe> {
    const probe = (body: unknown): Probe => ({ body, done: [], refusals: [], foreignAt: [] });
    if (!op.body) return fc.oneof({ weight: 3, arbitrary: fc.constant(probe({})) }, fc.jsonValue({ maxDepth: 3 }).map(probe));
    const schema = resolve(openapi, op.body);
    // Some fields of a valid body replaced by other values the document calls valid.
    const someFields = fc.record(Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, p]) => [k, validOf(p, ctx, k)])), {
      requiredKeys: [],
    });
    const base = seed === undefined ? validOf(op.body, ctx) : fc.constant(seed);
    const blended = seed === undefined ? base : someFields.map((some) => ({ ...(seed as object), ...some }));
    return fc.oneof(
      { weight: 3, arbitrary: base.map(probe) },
      { weight: 3, arbitrary: blended.map(probe) },
      { weight: 1, arbitrary: validOf(op.body, ctx).map(probe) },
      { weight: 6, arbitrary: fc.oneof(base, blended).chain((v) => mutatedOf(v, op.body as JsonSchema, ctx)) },
      { weight: 1, arbitrary: notAnObject },
    );
  }

  async function send(op: Operation, call: Call, token: string | undefined): Promise<Answer> {
    const method = op.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
    let req = t.http[method](call.url);
    if (token) req = req.set(bearer(token));
    if (call.idempotencyKey !== undefined) req = req.set('Idempotency-Key', call.idempotencyKey);
    const json = JSON.stringify(call.probe.body) ?? 'null';
    const res = await (() => {
      switch (call.transport) {
        case 'json':
          return req.type('json').send(json);
        case 'malformed json':
          return req.type('json').send(json.slice(0, Math.max(1, json.length - 1)) + (json.endsWith('}') ? ',}' : '{'));
        case 'prototype key':
          return req.type('json').send(`{"__proto__":{"role":"admin"},${json.startsWith('{') && json !== '{}' ? json.slice(1) : '"x":1}'}`);
        case 'empty json':
          return req.type('json').send('');
        case 'text/plain':
          return req.type('text/plain').send(json);
        case 'form':
          return req.type('form').send('reason=x&note=y');
      }
    })();
    return {
      status: res.status,
      body: (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>,
      text: res.text,
      requestId: res.headers['x-request-id'],
    };
  }

  describe('the operations', () => {
    it('every write operation of openapi.json is fuzzed or excluded with a reason; nothing named is gone', () => {
      expect(WRITE_OPERATIONS.length).toBeGreaterThan(40);
      const routes = new Set(WRITE_OPERATIONS.map((op) => op.route));
      expect(WRITE_OPERATIONS.filter((op) => !(op.route in TARGETS) && !(op.route in EXCLUDED)).map((op) => op.route)).toEqual([]);
      expect([...Object.keys(TARGETS), ...Object.keys(EXCLUDED)].filter((r) => !routes.has(r))).toEqual([]);
      expect(WRITE_OPERATIONS.filter((op) => decisionOf(op.route) === undefined).map((op) => op.route)).toEqual([]);
    });
  });

  const FUZZED = WRITE_OPERATIONS.filter((op) => !(op.route in EXCLUDED));

  describe.each(FUZZED)('$route', (op) => {
    it('never a 5xx; every refusal in api.md’s shape and without a write', async () => {
      const target = TARGETS[op.route];
      if (!target) throw new Error(`${op.route} has no fuzz target: add one to TARGETS (or a reason to EXCLUDED)`);
      const decision = decisionOf(op.route);
      if (!decision) throw new Error(`${op.route} has no roles decision in test/support/api-contract.ts`);
      const expected = expectationOf(decision, op.method);
      const staff = target.clinic === 'settings' ? c : target.clinic === 'sign-in' ? d : a;
      const ctx = context();
      let record: Record_ = target.record ? await target.record(kit, {}) : {};
      const seed = () => (target.body ? target.body(record, kit) : CALLS[op.route]?.body?.(fx));
      // Its own clinic, and B, which no call may ever change.
      const clinics = [staff.clinic.id, b.clinic.id];
      const hasParams = op.path.includes('{');
      // A protocol key names the caller's own clinic's version of it: no other clinic's record to name.
      const kinds = op.path.includes('{id}') ? PATH_KINDS : PATH_KINDS.filter((k) => k !== 'another clinic');
      let renewals = 0;
      let last: Fingerprint | undefined;
      const statuses: Record<number, number> = {};

      await fc.assert(
        fc.asyncProperty(fc.gen(), async (g) => {
          const role = expected.public ? undefined : g(() => fc.constantFrom(...expected.allowed));
          const pathKind = hasParams ? g(() => fc.constantFrom<PathKind>(...kinds)) : 'ours';
          const call: Call = {
            role,
            pathKind,
            url: pathFor(op, record, pathKind, g(fc.nat)),
            probe: g(() => bodiesFor(op, seed(), ctx)),
            transport: g(() =>
              fc.oneof(
                { weight: 30, arbitrary: fc.constant('json' as const) },
                fc.constantFrom(
                  'malformed json' as const,
                  'prototype key' as const,
                  'empty json' as const,
                  'text/plain' as const,
                  'form' as const,
                ),
              ),
            ),
            idempotencyKey: g(() =>
              fc.option(fc.oneof(fc.uuid(), fc.constantFrom('', 'x'.repeat(300), 'same-key')), { freq: 6, nil: undefined }),
            ),
          };
          // Nothing else writes to these clinics: the last call's "after" is this one's "before", unless a record was made since.
          const before = last ?? (await fingerprint.take(clinics, { securityRefusals: target.securityRefusals }));
          const res = await send(op, call, role && staff.token[role]);
          const problems = problemsOf(op, call, res);
          last = await fingerprint.take(clinics, { securityRefusals: target.securityRefusals });
          const changed = changedTables(before, last);
          if (res.status >= 300 && changed.length) problems.push(`a ${res.status} wrote to ${changed.join(', ')}`);
          else if (changed.some((x) => x.endsWith(`@${b.clinic.id}`))) problems.push(`wrote to another clinic: ${changed.join(', ')}`);
          if (problems.length)
            throw new Error(`${describeCall(op, call)}\n→ ${res.status} ${res.text.slice(0, 500)}\n${problems.join('\n')}`);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status < 300 && target.usedUp && target.record && renewals++ < RENEWALS) {
            record = await target.record(kit, record);
            last = undefined;
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      if (process.env['VIGIL_FUZZ_STATS']) console.log(`${op.route}: ${JSON.stringify(statuses)}`);
    }, 60_000);
  });

  describe('what the fuzzing found: each was a 500 or an answer outside api.md’s shape', () => {
    /** Refused with `status` in api.md's shape, naming `field` (a pattern) when given, and nothing written anywhere. */
    async function refusedCleanly(
      send: () => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>,
      status: number,
      field?: RegExp,
    ): Promise<void> {
      const clinics = [a.clinic.id, b.clinic.id, c.clinic.id, d.clinic.id];
      const before = await fingerprint.take(clinics);
      const res = await send();
      expect(res.status).toBe(status);
      expect(Object.keys(res.body).sort()).toEqual(ERROR_SHAPE);
      expect(res.body).toMatchObject({ statusCode: status, requestId: res.headers['x-request-id'] });
      if (field) expect(res.body['details']).toEqual([expect.objectContaining({ field: expect.stringMatching(field) })]);
      expect(changedTables(before, await fingerprint.take(clinics))).toEqual([]);
    }
    const post = (path: string, token: string | undefined, body: string) => {
      const req = t.http.post(`${API}${path}`).type('json');
      return (token ? req.set(bearer(token)) : req).send(body);
    };

    it('a body nested 2,000 levels deep is a 400 naming where (class-transformer overflowed the stack)', async () => {
      const body = JSON.stringify({ ...patientBody(), notes: deep(2_000, 'array') });
      await refusedCleanly(() => post('/patients', a.token.nurse, body), 400, /^notes(\[0\])+$/);
    });

    it('PATCH /users/:id with active: null is a 400 on active (the NOT NULL column refused it)', async () => {
      const user = await createUser(t.runtime.dataSource, c.clinic.id, 'nurse');
      await refusedCleanly(
        () => t.http.patch(`${API}/users/${user.id}`).set(bearer(c.token.admin)).send({ active: null, version: 1 }),
        400,
        /^active$/,
      );
    });

    it('an email with half a surrogate pair is a 400 (validator’s isEmail threw a URIError)', async () => {
      const email = JSON.stringify({ email: '\ud800@vigil.test', name: 'X', role: 'nurse', password: 'correct horse battery' });
      await refusedCleanly(() => post('/users', c.token.admin, email), 400, /^email$/);
      await refusedCleanly(() => post('/auth/login', undefined, JSON.stringify({ email: '\ud800', password: 'x' })), 400, /^email$/);
      await refusedCleanly(() => post('/patients', a.token.nurse, JSON.stringify(patientBody({ email: 'a\udc00@b.c' }))), 400, /^email$/);
    });

    it('an array where an allergy or a reading belongs is a 400 (the service read fields of it)', async () => {
      const { id } = await createPatient(t.http, a.token.nurse);
      await refusedCleanly(
        () =>
          t.http
            .put(`${API}/patients/${id}/contraindications`)
            .set(bearer(a.token.nurse))
            .send({ allergies: [[]] }),
        400,
        /^allergies$/,
      );
      const session = await kit.session('dosing');
      await refusedCleanly(
        () =>
          t.http
            .post(`${API}/sessions/${session.id}/vitals/batch`)
            .set(bearer(a.token.nurse))
            .send({ readings: [[]] }),
        400,
        /^readings$/,
      );
    });

    it('a null, array or text body is a 400; no body at all still means {}', async () => {
      const { id } = await kit.session('paused');
      await refusedCleanly(() => post(`/sessions/${id}/resume`, a.token.nurse, 'null'), 400, /^body$/);
      await refusedCleanly(() => post(`/sessions/${id}/resume`, a.token.nurse, '[]'), 400, /^body$/);
      await refusedCleanly(
        () => t.http.post(`${API}/sessions/${id}/resume`).set(bearer(a.token.nurse)).type('text/plain').send('{}'),
        400,
        /^body$/,
      );
      const resumed = await t.http.post(`${API}/sessions/${id}/resume`).set(bearer(a.token.nurse));
      expect({ status: resumed.status, state: resumed.body.status }).toEqual({ status: 200, state: 'dosing' });
    });

    it('a path segment over 100 characters, or a malformed escape, is answered in api.md’s shape with its request id', async () => {
      const long = () =>
        t.http
          .post(`${API}/sessions/${'x'.repeat(300)}/start`)
          .set(bearer(a.token.nurse))
          .set('X-Request-Id', 'fuzz-414');
      await refusedCleanly(long, 414);
      const answer = await long();
      expect(answer.body.requestId).toBe(answer.headers['x-request-id']);
      expect(answer.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      await refusedCleanly(() => t.http.post(`${API}/sessions/%E0%A4%A/start`).set(bearer(a.token.nurse)).send({}), 400);
    });
  });
});
