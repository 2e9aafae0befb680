import type TestAgent from 'supertest/lib/agent.js';
import { bearer, createPatient, type Staff } from './factories.js';
import { ADDRESS } from './ledger.js';

const api = '/api/v1';

async function ok<T>(res: Promise<{ status: number; body: T }>, status: number, what: string): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A published off-label ketamine consent form of the clinic (one per call). */
export async function consentForm(http: TestAgent, staff: Staff, kind = 'ketamine-off-label'): Promise<string> {
  const body = await ok<{ id: string }>(
    http.post(`${api}/consent-forms`).set(bearer(staff.token.admin)).send({ kind, title: kind, body: 'text' }),
    201,
    'consent form',
  );
  return body.id;
}

/** A patient of 70 kg with an active off-label ketamine consent. */
export async function consentedPatient(
  http: TestAgent,
  staff: Staff,
  extra: Record<string, unknown> = {},
  now: () => Date = () => new Date(),
): Promise<string> {
  const patient = await createPatient(http, staff.token.nurse, { weightKg: 70, ...extra });
  const formId = await consentForm(http, staff);
  await ok(
    http
      .post(`${api}/patients/${patient.id}/consents`)
      .set(bearer(staff.token.nurse))
      .send({ formId, signedAt: now().toISOString(), signedByName: 'Ana Souza', method: 'in-person' }),
    201,
    'consent',
  );
  return patient.id;
}

export const vitals = (values: Record<string, unknown> = {}) => ({
  measuredAt: new Date().toISOString(),
  source: 'manual',
  systolic: 122,
  diastolic: 78,
  heartRate: 72,
  spo2: 98,
  moaas: 5,
  ...values,
});

/** How far `sessionAt` takes a session, in order. */
const FIXTURE_STATUSES = ['scheduled', 'checked_in', 'ready', 'dosing', 'paused', 'observation'] as const;
export type FixtureStatus = (typeof FIXTURE_STATUSES)[number];

/**
 * A session taken to `status` by the nurse: created, checked in, pre-checked with a normal
 * baseline (ready), started at 0.5 mg/kg (dosing), paused, or ended early into observation. The
 * start types its lot, or with `containerId` draws the dose from that vial (as a clinic with a DEA
 * registration must); the patient made for it then has an address, part of the ledger's record.
 */
export async function sessionAt(
  http: TestAgent,
  staff: Staff,
  status: FixtureStatus,
  opts: { patientId?: string; protocol?: string; baseline?: Record<string, unknown>; chairId?: string; containerId?: string } = {},
): Promise<string> {
  const patientId = opts.patientId ?? (await consentedPatient(http, staff, opts.containerId ? { address: ADDRESS } : {}));
  const nurse = bearer(staff.token.nurse);
  const s = await ok<{ id: string }>(
    http
      .post(`${api}/sessions`)
      .set(nurse)
      .send({ patientId, protocol: opts.protocol ?? 'ketamine-iv-standard' }),
    201,
    'session',
  );
  const stopsBefore = (x: FixtureStatus) => FIXTURE_STATUSES.indexOf(status) < FIXTURE_STATUSES.indexOf(x);
  const step = async (path: string, body: object, what: string, expected = 200) => {
    await ok(http.post(`${api}/sessions/${s.id}/${path}`).set(nurse).send(body), expected, what);
  };
  if (stopsBefore('checked_in')) return s.id;
  await step('check-in', opts.chairId ? { chairId: opts.chairId } : { chairLabel: 'Chair 1' }, 'check-in');
  if (stopsBefore('ready')) return s.id;
  await step(
    'pre-checks',
    { transportHome: 'escort', escortName: 'Rui', pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' },
    'pre-checks',
  );
  await step('vitals', vitals(opts.baseline), 'baseline', 201);
  if (stopsBefore('dosing')) return s.id;
  await step('start', opts.containerId ? startFrom(opts.containerId) : startBody, 'start');
  if (status === 'paused') await step('pause', { reason: 'patient asked' }, 'pause');
  if (status === 'observation') await step('end-dosing', { reason: 'nausea; stopped early' }, 'end-dosing');
  return s.id;
}

/** A session checked in, pre-checked and with a normal baseline: ready to start. */
export function readySession(
  http: TestAgent,
  staff: Staff,
  opts: { patientId?: string; protocol?: string; baseline?: Record<string, unknown> } = {},
): Promise<string> {
  return sessionAt(http, staff, 'ready', opts);
}

export const startBody = { doseMgPerKg: 0.5, concentrationMgPerMl: 1, lotNumber: 'LOT-2026-11' };

/** The same start (35 mg for 70 kg) drawn from a vial of the ledger: 0.7 mL of a 50 mg/mL vial. */
export const startFrom = (containerId: string) => ({ doseMgPerKg: 0.5, concentrationMgPerMl: 1, containerId });

/**
 * A whole IV session (0.5 mg/kg over 40 min) from creation to discharge after 30 minutes of
 * observation, with every criterion met; `clock` is moved through it. With `abortAtMin`, dosing is
 * stopped early at that minute instead. Returns the session id.
 */
export async function dischargedIvSession(
  http: TestAgent,
  staff: Staff,
  clock: { now(): Date; advanceDays(days: number): void },
  input: { patientId: string; appointmentId?: string },
  opts: { abortAtMin?: number } = {},
): Promise<string> {
  const post = (path: string, body: object, status: number) =>
    ok<{ id: string }>(http.post(`${api}${path}`).set(bearer(staff.token.nurse)).send(body), status, path);
  const minutes = (m: number) => clock.advanceDays(m / (24 * 60));
  const reading = () => ({ ...vitals(), measuredAt: clock.now().toISOString(), systolic: 124 });
  const { id } = await post('/sessions', { ...input, protocol: 'ketamine-iv-standard' }, 201);
  await post(`/sessions/${id}/check-in`, {}, 200);
  await post(`/sessions/${id}/pre-checks`, { transportHome: 'escort', pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' }, 200);
  await post(`/sessions/${id}/vitals`, reading(), 201);
  await post(`/sessions/${id}/start`, { doseMgPerKg: 0.5, lotNumber: 'L' }, 200);
  if (opts.abortAtMin === undefined) {
    minutes(40);
    await post(`/sessions/${id}/end-dosing`, {}, 200);
  } else {
    minutes(opts.abortAtMin);
    await post(`/sessions/${id}/abort`, { reason: 'blood pressure rising despite a slower rate' }, 200);
  }
  minutes(30);
  await post(`/sessions/${id}/vitals`, reading(), 201);
  await post(`/sessions/${id}/observation-checks`, { dissociation: 'resolved', nausea: 'none', oriented: true, gait: 'steady' }, 201);
  await post(
    `/sessions/${id}/discharge`,
    { alertAndOriented: true, walksSteadily: true, nauseaControlled: true, escortConfirmed: true, drivingInstructionGiven: true },
    200,
  );
  return id;
}
