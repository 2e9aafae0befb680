import type { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent.js';
import { bearer, createClinic, createUser, login, patientBody, type Staff } from './factories.js';
import { consentedPatient, vitals } from './sessions.js';

/** An infusion floor for the wall board's tests: a clinic in a chosen zone, and patients seated in named chairs. */

/** A clinic in `timeZone` with one user per role, each signed in through the API. */
export async function floorStaff(ds: DataSource, http: TestAgent, timeZone: string): Promise<Staff> {
  const clinic = await createClinic(ds, timeZone);
  const [admin, nurse, anesthesiologist] = await Promise.all([
    createUser(ds, clinic.id, 'admin'),
    createUser(ds, clinic.id, 'nurse', { name: 'Nora Nightingale' }),
    createUser(ds, clinic.id, 'anesthesiologist', { name: 'Dr Ada Okafor' }),
  ]);
  const [a, n, s] = await Promise.all([login(http, admin.email), login(http, nurse.email), login(http, anesthesiologist.email)]);
  return { clinic, admin, nurse, anesthesiologist, token: { admin: a.accessToken, nurse: n.accessToken, anesthesiologist: s.accessToken } };
}

/**
 * A patient seated in `chair` (a free label, or a registered chair by id), taken by the nurse to `status`: checked in (no pre-checks,
 * no baseline), ready (checked in, pre-checked, a
 * baseline measured `baselineAgoMin` ago), dosing (started at 0.5 mg/kg), or observation (dosing
 * ended early). Returns the session id.
 */
export async function seat(
  http: TestAgent,
  staff: Staff,
  chair: string | { chairId: string },
  status: 'checked_in' | 'ready' | 'dosing' | 'observation',
  patient: { firstName: string; lastName: string; dateOfBirth: string },
  baselineAgoMin = 0,
): Promise<string> {
  const patientId = await consentedPatient(http, staff, patient);
  const nurse = bearer(staff.token.nurse);
  const post = async (path: string, body: object, expected: number) => {
    const res = await http.post(`/api/v1${path}`).set(nurse).send(body);
    if (res.status !== expected) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const { id } = await post('/sessions', { patientId, protocol: 'ketamine-iv-standard' }, 201);
  const place = typeof chair === 'string' ? { chairLabel: chair } : chair;
  await post(`/sessions/${id}/check-in`, { ...place, anesthesiologistUserId: staff.anesthesiologist.id }, 200);
  if (status === 'checked_in') return id;
  await post(
    `/sessions/${id}/pre-checks`,
    { transportHome: 'escort', escortName: 'Rui', pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' },
    200,
  );
  await post(`/sessions/${id}/vitals`, vitals({ measuredAt: new Date(Date.now() - baselineAgoMin * 60_000).toISOString() }), 201);
  if (status === 'ready') return id;
  await post(`/sessions/${id}/start`, { doseMgPerKg: 0.5, concentrationMgPerMl: 1, lotNumber: 'LOT-2026-11' }, 200);
  if (status === 'observation') await post(`/sessions/${id}/end-dosing`, { reason: 'nausea; stopped early' }, 200);
  return id;
}

/**
 * An esketamine patient (enrolled in the REMS, the anesthesiologist as prescriber) seated in
 * `chair` and dosed with 56 mg (two devices): the first device is the start, at `now()`. Returns the session id.
 */
export async function seatEsketamine(
  http: TestAgent,
  staff: Staff,
  chair: string,
  patient: { firstName: string; lastName: string; dateOfBirth: string },
  now: () => Date = () => new Date(),
): Promise<string> {
  const post = async (path: string, token: string, body: object, expected: number) => {
    const res = await http.post(`/api/v1${path}`).set(bearer(token)).send(body);
    if (res.status !== expected) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const nurse = staff.token.nurse;
  const { id: patientId } = await post('/patients', nurse, patientBody({ weightKg: 70, ...patient }), 201);
  const { id: formId } = await post(
    '/consent-forms',
    staff.token.admin,
    { kind: 'esketamine-rems-enrollment', title: 'REMS', body: 'text' },
    201,
  );
  await post(
    `/patients/${patientId}/consents`,
    nurse,
    { formId, signedAt: now().toISOString(), signedByName: 'Ana Souza', method: 'in-person', prescriberUserId: staff.anesthesiologist.id },
    201,
  );
  const { id } = await post('/sessions', nurse, { patientId, protocol: 'esketamine-trd' }, 201);
  await post(`/sessions/${id}/check-in`, staff.token.anesthesiologist, { chairLabel: chair }, 200);
  const ago = (min: number) => new Date(now().getTime() - min * 60_000).toISOString();
  await post(
    `/sessions/${id}/pre-checks`,
    nurse,
    { transportHome: 'escort', lastFoodAt: ago(180), lastLiquidsAt: ago(45), pregnancyStatus: 'not-pregnant', cssrsScreener: 'negative' },
    200,
  );
  await post(`/sessions/${id}/vitals`, nurse, vitals({ measuredAt: now().toISOString() }), 201);
  await post(`/sessions/${id}/start`, nurse, { doseMg: 56, lotNumber: 'SPR-77' }, 200);
  return id;
}
