import type { EntityManager } from 'typeorm';
import { type Range, type Raw, stamp, str } from './inspection-rows.js';
import { finishedForm, presented, PRODUCT_SQL, unitsPerContainer } from './presentation.js';
import { qty } from './quantities.js';
import type { Columns } from './report-csv.js';

/*
 * The stock an inspector asks about: what was on hand at a moment (by product, NDC, lot and expiry,
 * summed from the ledger's events up to it), what was destroyed or transferred, and what each
 * inventory found.
 */

export interface OnHandRow {
  productId: string;
  product: string;
  substance: 'ketamine' | 'esketamine';
  finishedForm: string;
  unitsPerContainer: string;
  ndc: string;
  lot: string;
  expiresOn: string;
  expired: boolean;
  containers: number;
  sealed: number;
  opened: number;
  quarantined: number;
  quantity: number;
  unit: 'mL' | 'device';
  mg: number;
}

export const ON_HAND_COLUMNS: Columns<OnHandRow> = [
  ['product', 'Product'],
  ['finishedForm', 'Finished form'],
  ['unitsPerContainer', 'Units per container'],
  ['ndc', 'NDC'],
  ['lot', 'Lot'],
  ['expiresOn', 'Expires'],
  ['expired', 'Expired'],
  ['containers', 'Containers'],
  ['sealed', 'Sealed'],
  ['opened', 'Opened'],
  ['quarantined', 'Quarantined'],
  ['quantity', 'Quantity'],
  ['unit', 'Unit'],
  ['mg', 'mg'],
];

/**
 * Stock on hand at `at`, by product, NDC, lot and expiry: each container's quantity is the sum of its
 * events that occurred before `at` (the ledger's own arithmetic, not the running balance), sealed
 * until it was first opened, quarantined when its last quarantine or release before `at` was a
 * quarantine. `today` (the clinic's date at `at`) flags expired stock, which stays on hand until it
 * is destroyed or returned.
 */
export async function onHandRows(
  m: EntityManager,
  clinicId: string,
  at: Date,
  today: string,
  registrationId?: string,
): Promise<OnHandRow[]> {
  const rows = await m.query<Raw[]>(
    `WITH held AS (
       SELECT e.container_id, sum(e.delta) AS quantity FROM cs_events e
        WHERE e.clinic_id = $1 AND e.container_id IS NOT NULL AND e.occurred_at < $2 AND ($3::uuid IS NULL OR e.registration_id = $3)
        GROUP BY e.container_id),
     aside AS (
       SELECT DISTINCT ON (e.container_id) e.container_id, e.kind FROM cs_events e
        WHERE e.clinic_id = $1 AND e.kind IN ('quarantine', 'release') AND e.occurred_at < $2
        ORDER BY e.container_id, e.occurred_at DESC, e.recorded_at DESC)
     SELECT p.id AS product_id, ${PRODUCT_SQL}, c.ndc, c.lot, to_char(c.expires_on, 'YYYY-MM-DD') AS expires_on,
            count(*)::int AS containers,
            count(*) FILTER (WHERE a.kind = 'quarantine')::int AS quarantined,
            count(*) FILTER (WHERE a.kind IS DISTINCT FROM 'quarantine' AND (c.opened_at IS NULL OR c.opened_at >= $2))::int AS sealed,
            sum(h.quantity)::text AS quantity
       FROM held h JOIN cs_containers c ON c.id = h.container_id JOIN cs_products p ON p.id = c.product_id
       LEFT JOIN aside a ON a.container_id = c.id
      WHERE h.quantity > 0
      GROUP BY p.id, p.name, p.substance, p.unit, p.mg_per_unit, p.strength_mg_per_ml, p.units_per_container, p.container_kind,
               c.ndc, c.lot, c.expires_on
      ORDER BY p.name, c.expires_on, c.lot, c.ndc`,
    [clinicId, at, registrationId ?? null],
  );
  return rows.map((r): OnHandRow => {
    const p = presented(r);
    const quantity = qty(Number(r['quantity']));
    const containers = Number(r['containers']);
    const quarantined = Number(r['quarantined']);
    const sealed = Number(r['sealed']);
    return {
      productId: String(r['product_id']),
      product: p.productName,
      substance: p.substance as OnHandRow['substance'],
      finishedForm: finishedForm(p),
      unitsPerContainer: unitsPerContainer(p),
      ndc: String(r['ndc']),
      lot: String(r['lot']),
      expiresOn: String(r['expires_on']),
      expired: String(r['expires_on']) < today,
      containers,
      sealed,
      opened: containers - sealed - quarantined,
      quarantined,
      quantity,
      unit: p.unit as OnHandRow['unit'],
      mg: qty(quantity * p.mgPerUnit),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Destructions and transfers (21 CFR 1304.21(e), 1317.95; DEA Form 41)

export interface DisposalRow {
  date: string;
  registration: string;
  kind: string;
  product: string;
  ndc: string;
  deaCode: number;
  lot: string;
  container: string;
  finishedForm: string;
  unitsPerContainer: string;
  fullPackages: number;
  partialQuantity: number;
  quantity: number;
  unit: string;
  mg: number;
  reason: string;
  method: string | null;
  location: string | null;
  distributorName: string | null;
  distributorAddress: string | null;
  distributorDeaNumber: string | null;
  reference: string | null;
  recordedBy: string;
  witness1: string;
  witness2: string;
}

export const DISPOSAL_COLUMNS: Columns<DisposalRow> = [
  ['date', 'Date'],
  ['registration', 'DEA registration'],
  ['kind', 'Destroyed or transferred'],
  ['product', 'Product'],
  ['ndc', 'NDC'],
  ['deaCode', 'DEA code'],
  ['lot', 'Batch'],
  ['container', 'Container'],
  ['finishedForm', 'Finished form'],
  ['unitsPerContainer', 'Units per package'],
  ['fullPackages', 'Full packages'],
  ['partialQuantity', 'Partial quantity'],
  ['quantity', 'Total'],
  ['unit', 'Unit'],
  ['mg', 'mg'],
  ['reason', 'Reason'],
  ['method', 'Method of destruction'],
  ['location', 'Location'],
  ['distributorName', 'Reverse distributor'],
  ['distributorAddress', 'Reverse distributor address'],
  ['distributorDeaNumber', 'Reverse distributor DEA number'],
  ['reference', 'Reference'],
  ['recordedBy', 'Recorded by'],
  ['witness1', 'Witness 1'],
  ['witness2', 'Witness 2'],
];

/** Each container destroyed or transferred in the range, oldest first: the lines of DEA Form 41 and of a reverse distributor's record. */
export async function disposalRows(m: EntityManager, g: Range): Promise<DisposalRow[]> {
  const rows = await m.query<Raw[]>(
    `SELECT d.occurred_at, d.kind, d.reason, d.method, d.location, d.distributor_name, d.distributor_address, d.distributor_dea_number,
            d.reference, reg.dea_number, a.name AS actor, w1.name AS witness1, w2.name AS witness2, ${PRODUCT_SQL}, p.dea_code,
            c.ndc, c.lot, c.seq, e.quantity::text AS quantity, e.quantity_mg::text AS mg, (e.data->>'fullPackage')::boolean AS full
       FROM cs_disposals d JOIN cs_events e ON e.disposal_id = d.id JOIN cs_containers c ON c.id = e.container_id
       JOIN cs_products p ON p.id = c.product_id JOIN cs_registrations reg ON reg.id = d.registration_id
       JOIN users a ON a.id = d.actor_user_id JOIN users w1 ON w1.id = d.witness1_user_id JOIN users w2 ON w2.id = d.witness2_user_id
      WHERE d.clinic_id = $1 AND d.occurred_at >= $2 AND d.occurred_at < $3
      ORDER BY d.occurred_at, d.id, c.lot, c.seq`,
    [g.clinicId, g.start, g.end],
  );
  return rows.map((r) => {
    const p = presented(r);
    const quantity = Number(r['quantity']);
    const full = r['full'] === true;
    return {
      date: stamp(r['occurred_at'] as Date, g.timeZone)!,
      registration: String(r['dea_number']),
      kind: String(r['kind']),
      product: p.productName,
      ndc: String(r['ndc']),
      deaCode: Number(r['dea_code']),
      lot: String(r['lot']),
      container: `${String(r['lot'])}/${Number(r['seq'])}`,
      finishedForm: finishedForm(p),
      unitsPerContainer: unitsPerContainer(p),
      fullPackages: full ? 1 : 0,
      partialQuantity: full ? 0 : quantity,
      quantity,
      unit: p.unit,
      mg: Number(r['mg']),
      reason: String(r['reason']),
      method: str(r['method']),
      location: str(r['location']),
      distributorName: str(r['distributor_name']),
      distributorAddress: str(r['distributor_address']),
      distributorDeaNumber: str(r['distributor_dea_number']),
      reference: str(r['reference']),
      recordedBy: String(r['actor']),
      witness1: String(r['witness1']),
      witness2: String(r['witness2']),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Inventories (21 CFR 1304.11)

export interface InventoryRow {
  takenOn: string;
  registration: string;
  kind: string;
  timeOfDay: string;
  product: string;
  finishedForm: string;
  unitsPerContainer: string;
  ndc: string;
  lot: string;
  expiresOn: string;
  container: string;
  sealed: boolean;
  method: string;
  quantity: number;
  unit: string;
  mg: number;
  expected: number;
  variance: number;
  discrepancy: boolean;
  takenBy: string;
  witness: string;
}

export const INVENTORY_COLUMNS: Columns<InventoryRow> = [
  ['takenOn', 'Date'],
  ['registration', 'DEA registration'],
  ['kind', 'Inventory'],
  ['timeOfDay', 'Opening or close of business'],
  ['product', 'Product'],
  ['finishedForm', 'Finished form'],
  ['unitsPerContainer', 'Units per container'],
  ['ndc', 'NDC'],
  ['lot', 'Lot'],
  ['expiresOn', 'Expires'],
  ['container', 'Container'],
  ['sealed', 'Sealed'],
  ['method', 'Counted or estimated'],
  ['quantity', 'Quantity'],
  ['unit', 'Unit'],
  ['mg', 'mg'],
  ['expected', 'Ledger balance'],
  ['variance', 'Variance'],
  ['discrepancy', 'Discrepancy opened'],
  ['takenBy', 'Taken by'],
  ['witness', 'Witness'],
];

const NOTHING_ON_HAND = {
  product: 'nothing on hand',
  finishedForm: '',
  unitsPerContainer: '',
  ndc: '',
  lot: '',
  expiresOn: '',
  container: '',
  sealed: false,
  method: '',
  quantity: 0,
  unit: '',
  mg: 0,
  expected: 0,
  variance: 0,
  discrepancy: false,
};

/** Every line of the inventories taken in the range, oldest first. */
export async function inventoryRows(m: EntityManager, g: Range): Promise<InventoryRow[]> {
  const rows = await m.query<Raw[]>(
    `SELECT to_char(i.taken_on, 'YYYY-MM-DD') AS taken_on, i.kind, i.time_of_day, reg.dea_number, t.name AS taken_by, w.name AS witness,
            ${PRODUCT_SQL}, c.ndc, c.lot, c.seq, to_char(c.expires_on, 'YYYY-MM-DD') AS expires_on, e.quantity::text AS quantity,
            e.quantity_mg::text AS mg, e.data->>'expected' AS expected, e.data->>'variance' AS variance, e.data->>'method' AS method,
            (e.data->>'sealed')::boolean AS sealed, EXISTS (SELECT 1 FROM cs_discrepancies d WHERE d.event_id = e.id) AS discrepancy
       FROM cs_inventories i LEFT JOIN cs_events e ON e.inventory_id = i.id LEFT JOIN cs_containers c ON c.id = e.container_id
       LEFT JOIN cs_products p ON p.id = c.product_id JOIN cs_registrations reg ON reg.id = i.registration_id
       JOIN users t ON t.id = i.taken_by JOIN users w ON w.id = i.witness_user_id
      WHERE i.clinic_id = $1 AND i.taken_on BETWEEN $2 AND $3
      ORDER BY i.taken_at, i.id, p.name, c.expires_on, c.lot, c.seq`,
    [g.clinicId, g.from, g.to],
  );
  return rows.map((r) => {
    const signed = { takenOn: String(r['taken_on']), registration: String(r['dea_number']), kind: String(r['kind']) };
    // An inventory of nothing (an initial one before any stock) is a line of its own: the record that nothing was held.
    if (r['seq'] === null)
      return {
        ...signed,
        ...NOTHING_ON_HAND,
        timeOfDay: String(r['time_of_day']),
        takenBy: String(r['taken_by']),
        witness: String(r['witness']),
      };
    const p = presented(r);
    return {
      ...signed,
      timeOfDay: String(r['time_of_day']),
      product: p.productName,
      finishedForm: finishedForm(p),
      unitsPerContainer: unitsPerContainer(p),
      ndc: String(r['ndc']),
      lot: String(r['lot']),
      expiresOn: String(r['expires_on']),
      container: `${String(r['lot'])}/${Number(r['seq'])}`,
      sealed: r['sealed'] === true,
      method: String(r['method']),
      quantity: Number(r['quantity']),
      unit: p.unit,
      mg: Number(r['mg']),
      expected: Number(r['expected']),
      variance: Number(r['variance']),
      discrepancy: r['discrepancy'] === true,
      takenBy: String(r['taken_by']),
      witness: String(r['witness']),
    };
  });
}
