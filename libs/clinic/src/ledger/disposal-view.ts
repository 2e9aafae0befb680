import type { EntityManager } from 'typeorm';
import { Clinic, localDate, User } from '#platform';
import type { CsDisposal } from './disposal.entity.js';
import { finishedForm, presented, PRODUCT_SQL, unitsPerContainer } from './presentation.js';
import { qty } from './quantities.js';
import { CsRegistration } from './registry.entity.js';
import type { DisposalKind } from './vocabulary.js';

/** One container closed out, with what DEA Form 41 asks of each line. */
export interface DisposalItem {
  containerId: string;
  container: string;
  eventId: string;
  productName: string;
  /** As printed on the package; DEA code 7285 stands for it where a form asks for either. */
  ndc: string;
  deaCode: number;
  /** The batch (lot) number. */
  lot: string;
  finishedForm: string;
  unitsPerContainer: string;
  /** 1 when the container was still sealed and full, else 0. */
  fullPackages: number;
  /** What an opened container held, in its unit (0 for a full package). */
  partialQuantity: number;
  quantity: number;
  unit: 'mL' | 'device';
  mg: number;
}

export interface DisposalView {
  id: string;
  registrationId: string;
  kind: DisposalKind;
  occurredAt: string;
  /** The clinic's local date of the destruction or the handover (1304.21(d)). */
  occurredOn: string;
  reason: string;
  method: string | null;
  location: string | null;
  distributorName: string | null;
  distributorAddress: string | null;
  distributorDeaNumber: string | null;
  reference: string | null;
  actorUserId: string;
  witnesses: Array<{ userId: string; name: string }>;
  registrant: { name: string; deaNumber: string; address: string };
  items: DisposalItem[];
  totals: { ketamineMg: number; esketamineDevices: number };
  createdAt: string;
}

type Raw = Record<string, string | number | boolean | null>;

/** The disposal with its containers (from their events), its witnesses' names and the registrant. */
export async function disposalView(m: EntityManager, d: CsDisposal): Promise<DisposalView> {
  // One after another: `m` may be a transaction's manager, whose one connection runs one query at a time.
  const registration = await m.findOneByOrFail(CsRegistration, { id: d.registrationId });
  const clinic = await m.findOneByOrFail(Clinic, { id: d.clinicId });
  const witness1 = await m.findOneByOrFail(User, { id: d.witness1UserId });
  const witness2 = await m.findOneByOrFail(User, { id: d.witness2UserId });
  const rows = await m.query<Raw[]>(
    `SELECT e.id AS event_id, e.quantity::text AS quantity, e.quantity_mg::text AS mg, e.unit AS quantity_unit,
            (e.data->>'fullPackage')::boolean AS full, c.id AS container_id, c.lot, c.seq, c.ndc, ${PRODUCT_SQL}, p.dea_code
       FROM cs_events e JOIN cs_containers c ON c.id = e.container_id JOIN cs_products p ON p.id = c.product_id
      WHERE e.disposal_id = $1 ORDER BY c.lot, c.seq`,
    [d.id],
  );
  const items = rows.map(disposalItem);
  const sum = (unit: string, pick: (i: DisposalItem) => number) =>
    qty(items.filter((i) => i.unit === unit).reduce((s, i) => s + pick(i), 0));
  return {
    id: d.id,
    registrationId: d.registrationId,
    kind: d.kind,
    occurredAt: d.occurredAt.toISOString(),
    occurredOn: localDate(d.occurredAt, clinic.timeZone),
    reason: d.reason,
    method: d.method,
    location: d.location,
    distributorName: d.distributorName,
    distributorAddress: d.distributorAddress,
    distributorDeaNumber: d.distributorDeaNumber,
    reference: d.reference,
    actorUserId: d.actorUserId,
    witnesses: [witness1, witness2].map((w) => ({ userId: w.id, name: w.name })),
    registrant: { name: registration.registrantName, deaNumber: registration.deaNumber, address: registration.address },
    items,
    totals: { ketamineMg: sum('mL', (i) => i.mg), esketamineDevices: sum('device', (i) => i.quantity) },
    createdAt: d.createdAt.toISOString(),
  };
}

/** One container of a disposal, from its destroy or transfer event. */
function disposalItem(r: Raw): DisposalItem {
  const p = presented(r);
  const quantity = Number(r['quantity']);
  const full = r['full'] === true;
  return {
    containerId: String(r['container_id']),
    container: `${String(r['lot'])}/${Number(r['seq'])}`,
    eventId: String(r['event_id']),
    productName: p.productName,
    ndc: String(r['ndc']),
    deaCode: Number(r['dea_code']),
    lot: String(r['lot']),
    finishedForm: finishedForm(p),
    unitsPerContainer: unitsPerContainer(p),
    fullPackages: full ? 1 : 0,
    partialQuantity: full ? 0 : quantity,
    quantity,
    unit: r['quantity_unit'] as DisposalItem['unit'],
    mg: Number(r['mg']),
  };
}
