import type { EntityManager } from 'typeorm';
import { User } from '#platform';
import type { CsInventory } from './inventory.entity.js';
import { finishedForm, presented, PRODUCT_SQL, unitsPerContainer } from './presentation.js';
import { qty } from './quantities.js';
import { addMonths, INVENTORY_DUE_MONTHS } from './reminders.js';
import type { InventoryKind, InventoryMethod, InventoryTime } from './vocabulary.js';

/** One container as inventoried: what was found, how, and (once recorded) what the ledger expected. */
export interface InventoryLine {
  containerId: string;
  container: string;
  eventId: string;
  productId: string;
  productName: string;
  ndc: string;
  lot: string;
  expiresOn: string;
  finishedForm: string;
  unitsPerContainer: string;
  /** Still sealed when inventoried (else opened). */
  sealed: boolean;
  method: InventoryMethod;
  quantity: number;
  unit: 'mL' | 'device';
  mg: number;
  expected: number;
  variance: number;
  /** Opened when the variance is beyond what the clinic tolerates for the method. */
  discrepancyId: string | null;
}

/** 1304.11(e): per product, its finished form, units per container and the number of containers. */
export interface InventoryProductLine {
  productId: string;
  productName: string;
  finishedForm: string;
  unitsPerContainer: string;
  sealedContainers: number;
  openedContainers: number;
  quantity: number;
  unit: 'mL' | 'device';
  mg: number;
}

export interface InventoryView {
  id: string;
  registrationId: string;
  kind: InventoryKind;
  takenAt: string;
  takenOn: string;
  timeOfDay: InventoryTime;
  takenBy: { userId: string; name: string };
  witness: { userId: string; name: string };
  note: string | null;
  lines: InventoryLine[];
  products: InventoryProductLine[];
  discrepancies: number;
  /** An initial or biennial inventory: the last day of the next biennial one. */
  nextBiennialDueOn: string | null;
  createdAt: string;
}

type Raw = Record<string, string | number | boolean | null>;

export async function inventoryView(m: EntityManager, inv: CsInventory): Promise<InventoryView> {
  // One after another: `m` may be a transaction's manager, whose one connection runs one query at a time.
  const taker = await m.findOneByOrFail(User, { id: inv.takenBy });
  const witness = await m.findOneByOrFail(User, { id: inv.witnessUserId });
  const rows = await m.query<Raw[]>(
    `SELECT e.id AS event_id, e.quantity::text AS quantity, e.quantity_mg::text AS mg, e.data->>'expected' AS expected,
            e.data->>'variance' AS variance, e.data->>'method' AS method, (e.data->>'sealed')::boolean AS sealed, d.id AS discrepancy_id,
            c.id AS container_id, c.lot, c.seq, c.ndc, to_char(c.expires_on, 'YYYY-MM-DD') AS expires_on,
            p.id AS product_id, ${PRODUCT_SQL}
       FROM cs_events e JOIN cs_containers c ON c.id = e.container_id JOIN cs_products p ON p.id = c.product_id
       LEFT JOIN cs_discrepancies d ON d.event_id = e.id
      WHERE e.inventory_id = $1 ORDER BY p.name, c.expires_on, c.lot, c.seq`,
    [inv.id],
  );
  const lines = rows.map(inventoryLine);
  return {
    id: inv.id,
    registrationId: inv.registrationId,
    kind: inv.kind,
    takenAt: inv.takenAt.toISOString(),
    takenOn: inv.takenOn,
    timeOfDay: inv.timeOfDay,
    takenBy: { userId: taker.id, name: taker.name },
    witness: { userId: witness.id, name: witness.name },
    note: inv.note,
    lines,
    products: byProduct(lines),
    discrepancies: lines.filter((l) => l.discrepancyId).length,
    nextBiennialDueOn: inv.kind === 'ad-hoc' ? null : addMonths(inv.takenOn, INVENTORY_DUE_MONTHS),
    createdAt: inv.createdAt.toISOString(),
  };
}

/** One container's line of an inventory, from its inventory event. */
function inventoryLine(r: Raw): InventoryLine {
  const p = presented(r);
  return {
    containerId: String(r['container_id']),
    container: `${String(r['lot'])}/${Number(r['seq'])}`,
    eventId: String(r['event_id']),
    productId: String(r['product_id']),
    productName: p.productName,
    ndc: String(r['ndc']),
    lot: String(r['lot']),
    expiresOn: String(r['expires_on']),
    finishedForm: finishedForm(p),
    unitsPerContainer: unitsPerContainer(p),
    sealed: r['sealed'] === true,
    method: r['method'] as InventoryMethod,
    quantity: Number(r['quantity']),
    unit: r['unit'] as InventoryLine['unit'],
    mg: Number(r['mg']),
    expected: Number(r['expected']),
    variance: Number(r['variance']),
    discrepancyId: (r['discrepancy_id'] as string | null) ?? null,
  };
}

/** The lines summed per product: sealed containers counted, opened ones measured. */
function byProduct(lines: InventoryLine[]): InventoryProductLine[] {
  const out = new Map<string, InventoryProductLine>();
  for (const l of lines) {
    const p = out.get(l.productId) ?? {
      productId: l.productId,
      productName: l.productName,
      finishedForm: l.finishedForm,
      unitsPerContainer: l.unitsPerContainer,
      sealedContainers: 0,
      openedContainers: 0,
      quantity: 0,
      unit: l.unit,
      mg: 0,
    };
    if (l.quantity > 0) {
      if (l.sealed) p.sealedContainers += 1;
      else p.openedContainers += 1;
    }
    p.quantity = qty(p.quantity + l.quantity);
    p.mg = qty(p.mg + l.mg);
    out.set(l.productId, p);
  }
  return [...out.values()];
}
