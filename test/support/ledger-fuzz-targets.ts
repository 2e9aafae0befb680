import type TestAgent from 'supertest/lib/agent.js';
import { bearer, type Staff } from './factories.js';
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

import { destructionBody, inventoryBody, registrationWithVial, transferBody } from './ledger-routes.js';

const api = '/api/v1/ledger';

/* The fuzzing targets of the ledger's write routes (openapi-fuzz.e2e-spec.ts), each with the record it is called on. */

/** What the fuzzing's kit offers the ledger targets: the app and clinic A's staff. */
interface FuzzKit {
  t: { http: TestAgent };
  a: Staff;
}

type Rec = Record<string, string>;
const registrations = new WeakMap<Staff, Promise<{ id: string; version: number }>>();
/** Clinic A's registration for the fuzzing (one per clinic). */
const registrationOf = (k: FuzzKit) => {
  if (!registrations.has(k.a)) registrations.set(k.a, registration(k.t.http, k.a, { deaNumber: randomDeaNumber() }));
  return registrations.get(k.a)!;
};

async function receiptAwaitingCount(k: FuzzKit): Promise<Rec> {
  const reg = await registrationOf(k);
  const vial = await product(k.t.http, k.a, { mgPerMl: 50 });
  const r = await ok<{ id: string }>(
    k.t.http
      .post(`${api}/receipts`)
      .set(bearer(k.a.token.admin))
      .send(receiptBody(reg.id, vial, { containersInvoiced: 2 })),
    201,
    'receipt',
  );
  return { id: r.id };
}

/** A vial of A just received, and the witness who signs for it (the nurse acts: the anesthesiologist witnesses). */
async function freshVial(k: FuzzKit): Promise<Rec> {
  const [reg, vial] = await Promise.all([registrationOf(k), product(k.t.http, k.a, { mgPerMl: 50 })]);
  const [containerId] = await receive(k.t.http, k.a, reg.id, vial);
  return { containerId, witness: k.a.anesthesiologist.id, nurse: k.a.nurse.id, admin: k.a.admin.id };
}

/** A record's nurse and administrator, who sign a disposal. */
const witnessesOf2 = (r: Rec) => ({ nurse: { id: r.nurse }, admin: { id: r.admin } }) as Pick<Staff, 'nurse' | 'admin'>;

async function freshLoss(k: FuzzKit, notified = false): Promise<Rec> {
  const reg = await registrationOf(k);
  const loss = await ok<{ id: string }>(
    k.t.http.post(`${api}/losses`).set(bearer(k.a.token.anesthesiologist)).send(lossBody(reg.id)),
    201,
    'loss',
  );
  if (notified)
    await ok(
      k.t.http
        .post(`${api}/losses/${loss.id}/notice`)
        .set(bearer(k.a.token.admin))
        .send({ notifiedAt: new Date().toISOString(), reference: 'faxed' }),
      200,
      'notice',
    );
  return { id: loss.id };
}

/** The fuzzing targets of the ledger's write routes (see openapi-fuzz.e2e-spec.ts `Target`). */
export const LEDGER_TARGETS: Record<
  string,
  { record?: (k: FuzzKit, last: Rec) => Promise<Rec>; usedUp?: true; body?: (r: Rec) => unknown; securityRefusals?: true }
> = {
  'POST /api/v1/ledger/registrations': {
    body: () => ({
      deaNumber: randomDeaNumber(),
      registrantName: 'Fuzz Clinic',
      address: '1 Main St',
      schedules: ['3N'],
      expiresOn: dayFrom(700),
    }),
  },
  'PATCH /api/v1/ledger/registrations/{id}': {
    usedUp: true,
    record: async (k) => {
      const r = await registration(k.t.http, k.a, { deaNumber: randomDeaNumber() });
      return { id: r.id, version: String(r.version) };
    },
    body: (r) => ({ version: Number(r.version), expiresOn: dayFrom(900) }),
  },
  'POST /api/v1/ledger/products': {
    body: () => ({
      name: 'Ketamine 10 mg/mL 5 mL',
      substance: 'ketamine',
      strengthMgPerMl: 10,
      unitsPerContainer: 5,
      containerKind: 'vial',
    }),
  },
  'POST /api/v1/ledger/receipts': {
    record: async (k) => {
      const [reg, vial] = await Promise.all([registrationOf(k), product(k.t.http, k.a, { mgPerMl: 100 })]);
      return { registrationId: reg.id, productId: vial.id };
    },
    body: (r) => receiptBody(r.registrationId, { id: r.productId, ndc: null }),
  },
  'POST /api/v1/ledger/receipts/{id}/count': { usedUp: true, record: receiptAwaitingCount, body: () => ({ containersCounted: 2 }) },
  // A wrong witness password is counted against the witness's sign-ins and audited, on purpose.
  'POST /api/v1/ledger/waste': {
    securityRefusals: true,
    record: freshVial,
    body: (r) => ({ containerId: r.containerId, unit: 'mL', quantity: 0.1, reason: 'syringe dropped', ...witnessedBy(r.witness) }),
  },
  'POST /api/v1/ledger/counts': {
    securityRefusals: true,
    record: freshVial,
    body: (r) => ({ containerId: r.containerId, unit: 'mL', counted: 10, ...witnessedBy(r.witness) }),
  },
  'POST /api/v1/ledger/discrepancies/{id}/resolve': {
    usedUp: true,
    record: async (k) => {
      const [reg, vial] = await Promise.all([registrationOf(k), product(k.t.http, k.a, { mgPerMl: 50 })]);
      return { id: await shortReceipt(k.t.http, k.a, reg.id, vial) };
    },
    body: () => ({ resolution: 'the supplier shipped one short; credit note asked' }),
  },
  'POST /api/v1/ledger/containers/{id}/quarantine': {
    usedUp: true,
    record: async (k) => ({ id: (await freshVial(k)).containerId }),
    body: () => ({ reason: 'seal broken' }),
  },
  'POST /api/v1/ledger/containers/{id}/release': {
    usedUp: true,
    record: async (k) => {
      const { containerId } = await freshVial(k);
      await ok(
        k.t.http
          .post(`${api}/containers/${containerId}/quarantine`)
          .set(bearer(k.a.token.anesthesiologist))
          .send({ reason: 'seal broken' }),
        200,
        'quarantine',
      );
      return { id: containerId };
    },
    body: () => ({ reason: 'seal intact on inspection' }),
  },
  'POST /api/v1/ledger/losses': {
    record: async (k) => ({ registrationId: (await registrationOf(k)).id }),
    body: (r) => lossBody(r.registrationId),
  },
  'POST /api/v1/ledger/losses/{id}/notice': {
    usedUp: true,
    record: (k) => freshLoss(k),
    body: () => ({ notifiedAt: new Date().toISOString(), reference: 'letter faxed to the field office' }),
  },
  'POST /api/v1/ledger/losses/{id}/form-106': {
    usedUp: true,
    record: (k) => freshLoss(k, true),
    body: () => ({ filedAt: new Date().toISOString(), confirmationNumber: 'DEA-106-0001' }),
  },
  'POST /api/v1/ledger/holidays': { body: () => ({ date: holidayDay(), name: 'Labor Day' }) },
  // An initial inventory is taken once: each call needs a registration of its own.
  'POST /api/v1/ledger/inventories': {
    securityRefusals: true,
    usedUp: true,
    record: async (k) => ({ ...(await registrationWithVial(k.t.http, k.a)), witness: k.a.anesthesiologist.id }),
    body: (r) => inventoryBody({ registrationId: r.registrationId, containerId: r.containerId }, r.witness),
  },
  'POST /api/v1/ledger/destructions': {
    securityRefusals: true,
    usedUp: true,
    record: freshVial,
    body: (r) => destructionBody([r.containerId], witnessesOf2(r)),
  },
  'POST /api/v1/ledger/transfers': {
    securityRefusals: true,
    usedUp: true,
    record: freshVial,
    body: (r) => transferBody([r.containerId], witnessesOf2(r)),
  },
  'DELETE /api/v1/ledger/holidays/{id}': {
    usedUp: true,
    record: async (k) => ({
      id: (
        await ok<{ id: string }>(
          k.t.http.post(`${api}/holidays`).set(bearer(k.a.token.admin)).send({ date: holidayDay(), name: 'x-mas' }),
          201,
          'holiday',
        )
      ).id,
    }),
  },
};
