import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import type { DataSource } from 'typeorm';
import { createPatient, type Staff } from './factories.js';
import { ADDRESS } from './ledger.js';
import { LEDGER_CALLS, ledgerFixtures } from './ledger-routes.js';
import { consentForm, consentedPatient, readySession, startFrom, vitals } from './sessions.js';
import {
  closureDay,
  fixtureGet,
  fixturePost,
  gatewayMap,
  hl7Gateway,
  nextTuesday,
  randomEui64,
  unboundReading,
} from './fixture-records.js';

export { closureDay, fixtureGet, fixturePost, gatewayMap, hl7Gateway, nextTuesday, randomEui64, unboundReading };

/*
 * The records every route of the API can be called on (a patient, a consent, a chair, an
 * appointment, sessions in several states, alerts, follow-up tasks), a valid body for the routes
 * that take one, and the URL of a route filled in with them. Shared by the authorization matrix
 * and the OpenAPI fuzzing.
 */

export const PROTOCOL = 'ketamine-iv-standard';

export interface Fixtures {
  /** our rows, by the collection segment before `{id}` */
  byCollection: Record<string, string>;
  /** our rows, by path parameter name (other than `id`) */
  byParam: Record<string, string>;
  patientId: string;
  formId: string;
  /** a nurse no test signs in as: the administrators' password reset and unlock act on her */
  spareUserId: string;
  chairId: string;
  startsAt: string;
  day: string;
  highBaselineSessionId: string;
  /** the vial the sessions' starts draw from (the clinic has a DEA registration: a start must name one) */
  doseContainerId: string;
  /** in dosing, with the two alerts and the emergency below */
  alertSessionId: string;
  criticalAlertId: string;
  emergencyAlertId: string;
  clinicalTaskId: string;
  /** a fresh follow-up task assigned to the administrators (a consent withdrawal's) */
  schedulingTask(): Promise<string>;
  /** every id of our clinic, for the leak check */
  ours: string[];
}

export interface Call {
  /** path parameters; default: our row of the collection the parameter follows */
  params?: (fx: Fixtures) => Promise<Record<string, string>> | Record<string, string>;
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

export const now = () => new Date().toISOString();
export const soon = () => new Date(Date.now() + 2 * 86_400_000).toISOString();

export const CALLS: Record<string, Call> = {
  'PATCH /api/v1/users/{id}': { body: () => ({ name: 'Renamed by another clinic', version: 1 }) },
  // Not the fixtures' nurse: a reset ends her logins, and every later call of hers would be refused.
  'POST /api/v1/users/{id}/reset-password': { params: (fx) => ({ id: fx.spareUserId }) },
  'POST /api/v1/users/{id}/unlock': { params: (fx) => ({ id: fx.spareUserId }) },
  'POST /api/v1/auth/password': { body: () => ({ currentPassword: 'not the password', newPassword: 'a long enough new password' }) },
  'PATCH /api/v1/patients/{id}': { body: () => ({ phone: '+1 555 0199', version: 1 }) },
  'POST /api/v1/patients/{id}/weights': { body: () => ({ value: 71, unit: 'kg' }) },
  'POST /api/v1/patients/{id}/contraindications/acknowledge': { body: () => ({ note: 'reviewed with the patient' }) },
  'GET /api/v1/patients/{id}/dose-calculation': { query: () => ({ protocol: PROTOCOL, mgPerKg: 0.5 }) },
  'POST /api/v1/patients/{id}/consents': {
    body: (fx) => ({ formId: fx.formId, signedAt: now(), signedByName: 'Ana Souza', method: 'in-person' }),
  },
  'POST /api/v1/patients/{id}/consents/{consentId}/withdraw': { body: () => ({ reason: 'changed her mind' }) },
  'PATCH /api/v1/consent-forms/{id}': { body: () => ({ title: 'Retitled', revision: 1 }) },
  'POST /api/v1/consent-forms/{id}/retire': { body: () => ({ reason: 'replaced by a reviewed text' }) },
  'PATCH /api/v1/protocols/{key}': { body: () => ({ reason: 'matrix check', durationMin: 40 }) },
  'POST /api/v1/follow-ups/{id}/complete': { body: () => ({ note: 'called the patient' }) },
  'POST /api/v1/follow-ups/{id}/reschedule': { body: () => ({ dueAt: soon() }) },
  'POST /api/v1/follow-ups/{id}/cancel': { body: () => ({ reason: 'not needed' }) },
  'POST /api/v1/sessions': { bodyRefs: true, body: (fx) => ({ patientId: fx.patientId, protocol: PROTOCOL }) },
  'POST /api/v1/sessions/{id}/pre-checks': {
    body: () => ({ transportHome: 'escort', escortName: 'Rui', pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' }),
  },
  'POST /api/v1/sessions/{id}/start': { body: (fx) => startFrom(fx.doseContainerId) },
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
  // The adverse event recorded on the session in dosing.
  'PATCH /api/v1/sessions/{id}/adverse-events/{eventId}': {
    params: (fx) => ({ id: fx.alertSessionId, eventId: fx.byParam['eventId'] }),
    body: () => ({ outcome: 'resolved' }),
  },
  'GET /api/v1/sessions/{id}/adverse-events': { params: (fx) => ({ id: fx.alertSessionId }) },
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
  'POST /api/v1/patients/{id}/readmit': { body: () => ({ reason: 'back in town' }) },
  'POST /api/v1/closures': { body: () => ({ date: closureDay(), reason: 'staff training' }) },
  'POST /api/v1/patients/{id}/series': { body: (fx) => ({ protocol: PROTOCOL, startDate: fx.day, preferredTime: '09:00' }) },
  'GET /api/v1/schedule': { query: (fx) => ({ date: fx.day }) },
  'POST /api/v1/alerts/{id}/resolve': { body: () => ({ note: 'repeated; settled' }) },
  'PUT /api/v1/patients/{id}/thresholds': { body: () => ({ thresholds: {}, reason: 'no overrides needed' }) },
  'POST /api/v1/monitors': {
    bodyRefs: true,
    body: (fx) => ({ name: `Monitor ${randomUUID().slice(0, 8)}`, chairId: fx.chairId, location: `INFUSION^^${randomUUID().slice(0, 8)}` }),
  },
  'PATCH /api/v1/monitors/{id}': { body: () => ({ name: `Monitor ${randomUUID().slice(0, 8)}` }) },
  'POST /api/v1/monitors/{id}/retire': { body: () => ({ reason: 'sent for repair' }) },
  'POST /api/v1/unbound-readings/{id}/attach': { body: (fx) => ({ sessionId: fx.byCollection['sessions'] }) },
  'POST /api/v1/unbound-readings/{id}/discard': { body: () => ({ reason: 'another patient’s' }) },
  'PATCH /api/v1/hl7-gateways/{id}': { body: () => ({ timeZone: 'America/Chicago' }) },
  'POST /api/v1/hl7-gateways/{id}/code-maps': {
    body: () => ({ system: 'MDIL', code: '0002-4a06', refid: 'NBPd', field: 'diastolic', reason: 'Philips private NBP diastolic' }),
  },
  'POST /api/v1/hl7-gateways/{id}/unit-maps': { body: () => ({ unit: 'mm Hg', toUnit: 'mm[Hg]', reason: 'as this gateway writes it' }) },
  'DELETE /api/v1/hl7-gateways/{id}/code-maps/{mapId}': { params: (fx) => ({ mapId: fx.byParam['codeMapId'] }) },
  'DELETE /api/v1/hl7-gateways/{id}/unit-maps/{mapId}': { params: (fx) => ({ mapId: fx.byParam['unitMapId'] }) },
  ...LEDGER_CALLS,
};

/**
 * Routes whose answer depends on the record, not only on the route: each is called again on
 * the record that decides it, and checked against the row that names that case.

/** One record of every kind in the staff's clinic (about three seconds of requests). */
export async function buildFixtures(http: TestAgent, a: Staff, ds: DataSource): Promise<Fixtures> {
  const post = <T = { id: string }>(path: string, token: string, body: object, status = 201) =>
    fixturePost<T>(http, path, token, body, status);
  const get = <T>(path: string, token: string) => fixtureGet<T>(http, path, token);
  const nurse = a.token.nurse;
  const doc = a.token.anesthesiologist;
  const { day, startsAt } = nextTuesday(a.clinic.timeZone);

  // The ledger first: with the clinic's DEA registration, its sessions draw their doses from a vial.
  const ledger = await ledgerFixtures(http, a);
  // One after the other: consent forms of a kind are numbered per clinic.
  const patientId = await consentedPatient(http, a);
  const formId = await consentForm(http, a);
  const chair = await post('/chairs', a.token.admin, { name: 'Chair 1' });
  const spare = await post('/users', a.token.admin, {
    email: `spare-${randomUUID()}@vigil.test`,
    name: 'Spare Nurse',
    role: 'nurse',
    password: 'a long enough password',
  });
  // A dose from a vial is recorded with the patient's address (1304.22(c)).
  const dosable = () => consentedPatient(http, a, { address: ADDRESS });
  const sessionId = await readySession(http, a, { patientId: await dosable() });
  const highBaselineSessionId = await readySession(http, a, { patientId: await dosable(), baseline: { systolic: 150, diastolic: 95 } });
  const alertSessionId = await readySession(http, a, { patientId: await dosable() });
  const consents = (await get<{ items: Array<{ id: string }> }>(`/patients/${patientId}/consents`, nurse)).items;
  const appointment = await post('/appointments', a.token.admin, { patientId, chairId: chair.id, protocol: PROTOCOL, startsAt });
  // PHQ-9 item 9 above 0: a suicide-risk review task for the anesthesiologists (a clinical task).
  const assessment = await post(`/patients/${patientId}/assessments`, nurse, {
    instrument: 'PHQ9',
    items: [1, 1, 1, 1, 0, 0, 0, 0, 1],
    administeredAt: now(),
  });

  // A session in dosing with a critical (blood pressure 185/100) and a warning (heart rate 115) alert, and an emergency.
  await post(`/sessions/${alertSessionId}/start`, nurse, startFrom(ledger.doseContainerId), 200);
  const spike = await post<{ alerts: Array<{ id: string; level: string }> }>(
    `/sessions/${alertSessionId}/vitals`,
    nurse,
    vitals({ systolic: 185, diastolic: 100, heartRate: 96 }),
  );
  const fast = await post<{ alerts: Array<{ id: string; level: string }> }>(
    `/sessions/${alertSessionId}/vitals`,
    nurse,
    vitals({ heartRate: 115 }),
  );
  const alertOf = (level: string) => {
    const found = [...spike.alerts, ...fast.alerts].find((x) => x.level === level);
    if (!found) throw new Error(`no ${level} alert: ${JSON.stringify([spike, fast])}`);
    return found.id;
  };
  const emergency = await post(`/sessions/${alertSessionId}/emergency`, nurse, { symptoms: ['sudden-severe-headache'] });
  const adverseEvent = await post(`/sessions/${alertSessionId}/adverse-events`, nurse, {
    kind: 'nausea-vomiting',
    severity: 'mild',
    onsetAt: now(),
    actionTaken: 'ondansetron 4 mg',
    outcome: 'ongoing',
  });

  const tasks = await get<{ items: Array<{ id: string; subjectId: string }> }>('/follow-ups?limit=200', doc);
  const clinicalTask = tasks.items.find((x) => x.subjectId === assessment.id);
  if (!clinicalTask) throw new Error('no suicide-risk review task');

  const schedulingTask = async (): Promise<string> => {
    const p = await createPatient(http, nurse);
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
  const closure = await post('/closures', a.token.admin, { date: closureDay(), reason: 'public holiday' });
  const monitor = await post('/monitors', a.token.admin, { name: 'Chair 1 monitor', chairId: chair.id, eui64: randomEui64() });
  const gatewayId = await hl7Gateway(ds, a.clinic.id);

  const fx: Fixtures = {
    byCollection: {
      users: a.nurse.id,
      patients: patientId,
      'consent-forms': formId,
      'follow-ups': adminTaskId,
      sessions: sessionId,
      chairs: chair.id,
      appointments: appointment.id,
      alerts: alertOf('warning'),
      closures: closure.id,
      monitors: monitor.id,
      'unbound-readings': await unboundReading(ds, a.clinic.id),
      'hl7-gateways': gatewayId,
      ...ledger.byCollection,
    },
    byParam: {
      consentId: consents[0].id,
      assessmentId: assessment.id,
      key: PROTOCOL,
      eventId: adverseEvent.id,
      codeMapId: await gatewayMap(ds, gatewayId, 'code'),
      unitMapId: await gatewayMap(ds, gatewayId, 'unit'),
      ...ledger.byParam,
    },
    patientId,
    formId,
    spareUserId: spare.id,
    chairId: chair.id,
    startsAt,
    day,
    highBaselineSessionId,
    doseContainerId: ledger.doseContainerId,
    alertSessionId,
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
    spare.id,
    ...Object.values(fx.byCollection),
    consents[0].id,
    assessment.id,
    highBaselineSessionId,
    fx.doseContainerId,
    alertSessionId,
    fx.criticalAlertId,
    fx.emergencyAlertId,
    fx.clinicalTaskId,
  ];
  return fx;
}

/**
 * The path of a route (`/api/v1/sessions/{id}/start`) with its parameters filled in: `given`
 * first, else our row of the collection an `{id}` follows, else the row named by the parameter,
 * else an id that exists nowhere.
 */
export function pathOf(path: string, fx: Fixtures, given: Record<string, string> = {}): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!param) return segment;
      return given[param] ?? (param === 'id' ? fx.byCollection[segments[i - 1]] : fx.byParam[param]) ?? randomUUID();
    })
    .join('/');
}
