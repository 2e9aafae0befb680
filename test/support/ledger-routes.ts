import type TestAgent from 'supertest/lib/agent.js';
import { bearer, PASSWORD, type Staff } from './factories.js';
import {
  dayFrom,
  holidayDay,
  lossBody,
  ok,
  product,
  randomDeaNumber,
  receiptBody,
  receive,
  registration,
  shortReceipt,
  witnessedBy,
} from './ledger.js';

const api = '/api/v1/ledger';

/*
 * The ledger's routes for the contract tests: the records each route can be called on (authorization
 * matrix), a valid body per route, and the fuzzing targets of its write routes.
 */

/**
 * The ledger records every ledger route can be called on (for the authorization matrix and the
 * fuzzing), and a vial the clinic's sessions draw their doses from: with its registration, a start
 * must name one.
 */
export async function ledgerFixtures(
  http: TestAgent,
  staff: Staff,
): Promise<{ byCollection: Record<string, string>; byParam: Record<string, string>; doseContainerId: string }> {
  const reg = await registration(http, staff);
  const vial = await product(http, staff, { mgPerMl: 50 });
  const [container, spare, doses] = await receive(http, staff, reg.id, vial, 3);
  const receipt = await ok<{ id: string }>(
    http
      .post(`${api}/receipts`)
      .set(bearer(staff.token.admin))
      .send(receiptBody(reg.id, vial, { containersInvoiced: 2 })),
    201,
    'receipt awaiting its count',
  );
  const discrepancyId = await shortReceipt(http, staff, reg.id, vial);
  const loss = await ok<{ id: string }>(
    http.post(`${api}/losses`).set(bearer(staff.token.anesthesiologist)).send(lossBody(reg.id)),
    201,
    'loss',
  );
  const holiday = await ok<{ id: string }>(
    http.post(`${api}/holidays`).set(bearer(staff.token.admin)).send({ date: holidayDay(), name: 'Independence Day' }),
    201,
    'holiday',
  );
  const disposal = await ok<{ id: string }>(
    http
      .post(`${api}/destructions`)
      .set(bearer(staff.token.anesthesiologist))
      .send(destructionBody([spare], staff)),
    201,
    'destruction',
  );
  const inventory = await initialInventory(http, staff);
  return {
    byCollection: {
      disposals: disposal.id,
      inventories: inventory.id,
      registrations: reg.id,
      receipts: receipt.id,
      containers: container,
      discrepancies: discrepancyId,
      losses: loss.id,
      holidays: holiday.id,
    },
    // Vigil's products are every clinic's: the product a receipt names is no record of ours.
    byParam: {
      ledgerProductId: vial.id,
      ledgerWitnessId: staff.anesthesiologist.id,
      ledgerNurseId: staff.nurse.id,
      ledgerAdminId: staff.admin.id,
    },
    doseContainerId: doses,
  };
}

/** Two employees of the clinic other than its anesthesiologist (who disposes of stock) sign. */
const disposalWitnesses = (staff: Pick<Staff, 'nurse' | 'admin'>) => [
  { userId: staff.nurse.id, password: PASSWORD },
  { userId: staff.admin.id, password: PASSWORD },
];

export const destructionBody = (containerIds: string[], staff: Pick<Staff, 'nurse' | 'admin'>) => ({
  containerIds,
  reason: 'expired',
  method: 'denaturing kit',
  location: 'medication room',
  witnesses: disposalWitnesses(staff),
});

export const transferBody = (containerIds: string[], staff: Pick<Staff, 'nurse' | 'admin'>) => ({
  containerIds,
  reason: 'recalled lot',
  distributorName: 'Return Solutions Inc.',
  distributorAddress: '55 Commerce Way, Albany NY',
  distributorDeaNumber: 'RB1234563',
  witnesses: disposalWitnesses(staff),
});

/** A registration of its own with one vial in stock: the body of its initial inventory (the nurse takes it, the anesthesiologist witnesses). */
export async function registrationWithVial(http: TestAgent, staff: Staff): Promise<{ registrationId: string; containerId: string }> {
  const reg = await registration(http, staff, { deaNumber: randomDeaNumber() });
  const [containerId] = await receive(http, staff, reg.id, await product(http, staff, { mgPerMl: 50 }));
  return { registrationId: reg.id, containerId };
}

export const inventoryBody = (r: { registrationId: string; containerId: string }, witnessId: string) => ({
  registrationId: r.registrationId,
  kind: 'initial',
  timeOfDay: 'close',
  lines: [{ containerId: r.containerId, unit: 'mL', quantity: 10 }],
  ...witnessedBy(witnessId),
});

async function initialInventory(http: TestAgent, staff: Staff): Promise<{ id: string }> {
  return ok(
    http
      .post(`${api}/inventories`)
      .set(bearer(staff.token.nurse))
      .send(inventoryBody(await registrationWithVial(http, staff), staff.anesthesiologist.id)),
    201,
    'initial inventory',
  );
}

type Fx = { byCollection: Record<string, string>; byParam: Record<string, string> };

/** A valid body per ledger route (see route-fixtures.ts `Call`). */
export const LEDGER_CALLS: Record<string, { body?: (fx: Fx) => object; bodyRefs?: boolean; query?: () => Record<string, string> }> = {
  'POST /api/v1/ledger/registrations': {
    body: () => ({
      deaNumber: randomDeaNumber(),
      registrantName: 'Harbor Clinic',
      address: '1 Main St',
      schedules: ['3N'],
      expiresOn: dayFrom(700),
    }),
  },
  'PATCH /api/v1/ledger/registrations/{id}': { body: () => ({ version: 1, address: '2 Main St' }) },
  'GET /api/v1/ledger/reports/dispensing': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/dispensing/csv': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/dispensing/pdf': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/receipts': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/receipts/csv': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/discrepancies': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/discrepancies/csv': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/losses': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/losses/csv': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/disposals': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/disposals/csv': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/inventories': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'GET /api/v1/ledger/reports/inventories/csv': { query: () => ({ from: dayFrom(-30), to: dayFrom(1) }) },
  'POST /api/v1/ledger/products': {
    body: () => ({
      name: 'Ketamine 50 mg/mL 5 mL',
      substance: 'ketamine',
      strengthMgPerMl: 50,
      unitsPerContainer: 5,
      containerKind: 'vial',
    }),
  },
  'POST /api/v1/ledger/receipts': {
    bodyRefs: true,
    body: (fx) => receiptBody(fx.byCollection['registrations'], { id: fx.byParam['ledgerProductId'], ndc: null }),
  },
  'POST /api/v1/ledger/receipts/{id}/count': { body: () => ({ containersCounted: 2 }) },
  'POST /api/v1/ledger/waste': {
    bodyRefs: true,
    body: (fx) => ({
      containerId: fx.byCollection['containers'],
      unit: 'mL',
      quantity: 0.1,
      reason: 'syringe dropped',
      ...witnessedBy(fx.byParam['ledgerWitnessId']),
    }),
  },
  'POST /api/v1/ledger/counts': {
    bodyRefs: true,
    body: (fx) => ({ containerId: fx.byCollection['containers'], unit: 'mL', counted: 10, ...witnessedBy(fx.byParam['ledgerWitnessId']) }),
  },
  'POST /api/v1/ledger/discrepancies/{id}/resolve': { body: () => ({ resolution: 'the supplier shipped one short; credit note asked' }) },
  'POST /api/v1/ledger/containers/{id}/quarantine': { body: () => ({ reason: 'seal broken' }) },
  'POST /api/v1/ledger/containers/{id}/release': { body: () => ({ reason: 'seal intact on inspection' }) },
  'POST /api/v1/ledger/losses': { bodyRefs: true, body: (fx) => lossBody(fx.byCollection['registrations']) },
  'POST /api/v1/ledger/losses/{id}/notice': {
    body: () => ({ notifiedAt: new Date().toISOString(), reference: 'letter faxed to the field office' }),
  },
  'POST /api/v1/ledger/losses/{id}/form-106': { body: () => ({ filedAt: new Date().toISOString(), confirmationNumber: 'DEA-106-0001' }) },
  'POST /api/v1/ledger/holidays': { body: () => ({ date: holidayDay(), name: 'Labor Day' }) },
  'POST /api/v1/ledger/inventories': {
    bodyRefs: true,
    body: (fx) =>
      inventoryBody(
        { registrationId: fx.byCollection['registrations'], containerId: fx.byCollection['containers'] },
        fx.byParam['ledgerWitnessId'],
      ),
  },
  'POST /api/v1/ledger/destructions': {
    bodyRefs: true,
    body: (fx) => destructionBody([fx.byCollection['containers']], witnessesOf(fx)),
  },
  'POST /api/v1/ledger/transfers': {
    bodyRefs: true,
    body: (fx) => transferBody([fx.byCollection['containers']], witnessesOf(fx)),
  },
};

/** The fixtures' nurse and administrator, as the disposal bodies name them. */
const witnessesOf = (fx: Fx) =>
  ({ nurse: { id: fx.byParam['ledgerNurseId'] }, admin: { id: fx.byParam['ledgerAdminId'] } }) as Pick<Staff, 'nurse' | 'admin'>;
