import type TestAgent from 'supertest/lib/agent.js';
import { bearer, PASSWORD, patientBody, type Staff } from './factories.js';

const api = '/api/v1/ledger';

export async function ok<T>(res: Promise<{ status: number; body: unknown }>, status: number, what: string): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** Valid DEA numbers (their check digits hold): the clinic's, a distributor's. */
export const CLINIC_DEA = 'AB1234563';
export const SUPPLIER_DEA = 'PA1234563';

export interface Product {
  id: string;
  ndc: string | null;
  unit: 'mL' | 'device';
  strengthMgPerMl: number | null;
  unitsPerContainer: number;
}

/** A day `days` from now (UTC date; far enough from midnight in any zone for the tests that use it). */
export const dayFrom = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The clinic's DEA registration (schedules 3N, valid two more years). */
export async function registration(
  http: TestAgent,
  staff: Staff,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; version: number }> {
  return ok(
    http
      .post(`${api}/registrations`)
      .set(bearer(staff.token.admin))
      .send({
        deaNumber: CLINIC_DEA,
        registrantName: 'Harbor Clinic',
        address: '1 Main St, Boston MA',
        schedules: ['3N'],
        expiresOn: dayFrom(730),
        ...extra,
      }),
    201,
    'registration',
  );
}

/** One of Vigil's products: a ketamine vial by its mg/mL, or the Spravato kit of 2 or 3 devices. */
export async function product(http: TestAgent, staff: Staff, which: { mgPerMl: number } | { devices: 2 | 3 }): Promise<Product> {
  const page = await ok<{ items: Product[] }>(http.get(`${api}/products?limit=200`).set(bearer(staff.token.nurse)), 200, 'products');
  const found = page.items.find((p) =>
    'mgPerMl' in which ? p.strengthMgPerMl === which.mgPerMl : p.unit === 'device' && p.unitsPerContainer === which.devices,
  );
  if (!found) throw new Error(`no product ${JSON.stringify(which)}`);
  return found;
}

export const receiptBody = (registrationId: string, p: Pick<Product, 'id' | 'ndc'>, extra: Record<string, unknown> = {}) => ({
  registrationId,
  productId: p.id,
  ndc: p.ndc ?? '0409-2051-05',
  lot: `L${Math.floor(Math.random() * 1e6)}`,
  expiresOn: dayFrom(365),
  supplierName: 'Cardinal Health',
  supplierAddress: '7000 Cardinal Pl, Dublin OH',
  supplierDeaNumber: SUPPLIER_DEA,
  invoiceNumber: `INV-${Math.floor(Math.random() * 1e6)}`,
  containersInvoiced: 1,
  ...extra,
});

/** Receives `containers` of a product (invoice then a matching blind count, by the anesthesiologist); returns the container ids. */
export async function receive(
  http: TestAgent,
  staff: Staff,
  registrationId: string,
  p: Product,
  containers = 1,
  extra: Record<string, unknown> = {},
): Promise<string[]> {
  const doc = bearer(staff.token.anesthesiologist);
  const r = await ok<{ id: string }>(
    http
      .post(`${api}/receipts`)
      .set(doc)
      .send(receiptBody(registrationId, p, { containersInvoiced: containers, ...extra })),
    201,
    'receipt',
  );
  const counted = await ok<{ containers: Array<{ id: string }> }>(
    http.post(`${api}/receipts/${r.id}/count`).set(doc).send({ containersCounted: containers }),
    200,
    'receipt count',
  );
  return counted.containers.map((c) => c.id);
}

/**
 * Vials for sessions to draw their doses from (a clinic with a DEA registration must name one at the
 * start): 50 mg/mL, 10 mL, received `batch` at a time under the registration. Each call hands out a
 * vial no earlier call did, so no session finds its vial drawn dry by another.
 */
export function doseVials(http: TestAgent, staff: Staff, registrationId: string, batch = 10): () => Promise<string> {
  let stock: string[] = [];
  return async () => {
    if (!stock.length) stock = await receive(http, staff, registrationId, await product(http, staff, { mgPerMl: 50 }), batch);
    return stock.pop()!;
  };
}

export interface OnHand {
  lines: Array<{ productId: string; lot: string; quantity: number; quantityMg: number; containers: number; sealed: number; open: number }>;
  totals: { ketamineMg: number; esketamineDevices: number };
}

export const onHand = (http: TestAgent, staff: Staff): Promise<OnHand> =>
  ok<OnHand>(http.get(`${api}/on-hand`).set(bearer(staff.token.admin)), 200, 'on-hand');

/** A random DEA number whose check digit holds (a registration is unique per clinic). */
export function randomDeaNumber(): string {
  const letter = () => String.fromCharCode(65 + Math.floor(Math.random() * 26));
  const d = Array.from({ length: 6 }, () => Math.floor(Math.random() * 10));
  const check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
  return `${letter()}${letter()}${d.join('')}${check}`;
}

/** A receipt counted one short of its invoice: its discrepancy's id. */
export async function shortReceipt(http: TestAgent, staff: Staff, registrationId: string, p: Product): Promise<string> {
  const doc = bearer(staff.token.anesthesiologist);
  const r = await ok<{ id: string }>(
    http
      .post(`${api}/receipts`)
      .set(doc)
      .send(receiptBody(registrationId, p, { containersInvoiced: 2 })),
    201,
    'receipt',
  );
  const counted = await ok<{ discrepancyId: string }>(
    http.post(`${api}/receipts/${r.id}/count`).set(doc).send({ containersCounted: 1 }),
    200,
    'short count',
  );
  return counted.discrepancyId;
}

/** A loss (no container named) of a registration, discovered an hour ago. */
export const lossBody = (registrationId: string) => ({
  kind: 'loss',
  discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
  narrative: 'a sealed vial missing from the delivery tote',
  registrationId,
});

/** A day some years ahead, different on every call (a day is listed once). */
export const holidayDay = (): string =>
  new Date(Date.UTC(2050, 0, 1) + Math.floor(Math.random() * 3650) * 86_400_000).toISOString().slice(0, 10);

/** A witnessed body: the witness is `witnessUserId`, who signs with the test password. */
export const witnessedBy = (witnessUserId: string) => ({ witnessUserId, witnessPassword: PASSWORD });

/** Where a patient lives: part of every administration's record (1304.22(c)). */
export const ADDRESS = '12 Harbor St, Boston MA 02110';

/**
 * Sessions ready to start, on the clinic's `now` (a moved clock): a ketamine IV patient of 70 kg with
 * an active consent on `ketamineForm`, or an esketamine patient enrolled in the REMS (with a 56 mg
 * session last week when `hadFirstDose`, so that 84 mg is allowed).
 */
export function readyToStart(http: TestAgent, staff: Staff, now: () => Date, ketamineForm: string) {
  const post = (path: string, token: string, body: object = {}) => http.post(`/api/v1${path}`).set(bearer(token)).send(body);
  const at = (minutesAgo = 0) => new Date(now().getTime() - minutesAgo * 60_000).toISOString();
  const reading = () => ({ measuredAt: at(), source: 'manual', systolic: 122, diastolic: 78, heartRate: 72, spo2: 98 });
  const patient = async () =>
    ok<{ id: string }>(post('/patients', staff.token.nurse, patientBody({ weightKg: 70, address: ADDRESS })), 201, 'patient');
  const session = async (patientId: string, protocol: string) =>
    (await ok<{ id: string }>(post('/sessions', staff.token.nurse, { patientId, protocol }), 201, 'session')).id;

  async function iv(): Promise<string> {
    const p = await patient();
    await ok(
      post(`/patients/${p.id}/consents`, staff.token.nurse, {
        formId: ketamineForm,
        signedAt: at(),
        signedByName: 'Ana Souza',
        method: 'in-person',
      }),
      201,
      'consent',
    );
    const id = await session(p.id, 'ketamine-iv-standard');
    await ok(post(`/sessions/${id}/check-in`, staff.token.nurse), 200, 'check-in');
    await ok(
      post(`/sessions/${id}/pre-checks`, staff.token.nurse, {
        transportHome: 'escort',
        pregnancyStatus: 'not-pregnant',
        cssrsScreener: 'negative',
      }),
      200,
      'pre-checks',
    );
    await ok(post(`/sessions/${id}/vitals`, staff.token.nurse, reading()), 201, 'baseline');
    return id;
  }

  async function esketamine(
    remsForm: string,
    db: { query(sql: string, params: unknown[]): Promise<unknown> },
    hadFirstDose = false,
  ): Promise<string> {
    const p = await patient();
    await ok(
      post(`/patients/${p.id}/consents`, staff.token.nurse, {
        formId: remsForm,
        signedAt: at(),
        signedByName: 'Ana Souza',
        method: 'in-person',
        prescriberUserId: staff.anesthesiologist.id,
      }),
      201,
      'REMS enrollment',
    );
    if (hadFirstDose)
      await db.query(
        `INSERT INTO sessions (clinic_id, patient_id, protocol_key, protocol_version_id, status, dose_mg, devices, dosing_started_at, ended_at)
         SELECT $1, $2, 'esketamine-trd', id, 'discharged', 56, 2, now() - interval '7 days', now() - interval '7 days'
           FROM protocol_versions WHERE key = 'esketamine-trd' AND clinic_id IS NULL`,
        [staff.clinic.id, p.id],
      );
    const id = await session(p.id, 'esketamine-trd');
    await ok(post(`/sessions/${id}/check-in`, staff.token.anesthesiologist), 200, 'check-in');
    await ok(
      post(`/sessions/${id}/pre-checks`, staff.token.nurse, {
        transportHome: 'escort',
        lastFoodAt: at(180),
        lastLiquidsAt: at(45),
        pregnancyStatus: 'not-pregnant',
        cssrsScreener: 'negative',
      }),
      200,
      'pre-checks',
    );
    await ok(post(`/sessions/${id}/vitals`, staff.token.nurse, reading()), 201, 'baseline');
    return id;
  }

  return { iv, esketamine };
}
