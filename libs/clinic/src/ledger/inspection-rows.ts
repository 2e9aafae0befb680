import type { EntityManager } from 'typeorm';
import { localParts } from '#platform';
import { finishedForm, presented, PRODUCT_SQL, unitsPerContainer } from './presentation.js';
import { qty } from './quantities.js';
import type { Columns } from './report-csv.js';

/*
 * The rows of the reports an inspector asks for besides the dispensing log, between two of the
 * clinic's dates: receipts, discrepancies and losses here; stock, disposals and inventories in
 * inspection-stock-rows.ts. Times are the clinic's local "YYYY-MM-DD HH:MM".
 */

export interface Range {
  clinicId: string;
  from: string;
  to: string;
  /** The start of `from` and the end of `to`, in the clinic's zone. */
  start: Date;
  end: Date;
  timeZone: string;
}

export type Raw = Record<string, string | number | boolean | Date | null>;

export const stamp = (at: Date | null, timeZone: string): string | null => {
  if (!at) return null;
  const p = localParts(at, timeZone);
  return `${p.date} ${p.time}`;
};

export const str = (v: Raw[string]): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: Raw[string]): number | null => (v === null || v === undefined ? null : Number(v));

// ---------------------------------------------------------------------------------------------
// Receipts (1304.22(c): containers received, the date, the supplier's name, address and DEA number)

export interface ReceiptRow {
  receivedOn: string;
  registration: string;
  product: string;
  finishedForm: string;
  unitsPerContainer: string;
  ndc: string;
  lot: string;
  expiresOn: string;
  containersInvoiced: number;
  containersReceived: number;
  quantity: number;
  unit: string;
  mg: number;
  supplierName: string;
  supplierAddress: string;
  supplierDeaNumber: string;
  invoiceNumber: string;
  invoiceDate: string | null;
  countedBy: string;
  discrepancy: boolean;
}

export const RECEIPT_COLUMNS: Columns<ReceiptRow> = [
  ['receivedOn', 'Date received'],
  ['registration', 'DEA registration'],
  ['product', 'Product'],
  ['finishedForm', 'Finished form'],
  ['unitsPerContainer', 'Units per container'],
  ['ndc', 'NDC'],
  ['lot', 'Lot'],
  ['expiresOn', 'Expires'],
  ['containersInvoiced', 'Containers invoiced'],
  ['containersReceived', 'Containers received'],
  ['quantity', 'Quantity received'],
  ['unit', 'Unit'],
  ['mg', 'mg received'],
  ['supplierName', 'Supplier'],
  ['supplierAddress', 'Supplier address'],
  ['supplierDeaNumber', 'Supplier DEA number'],
  ['invoiceNumber', 'Invoice'],
  ['invoiceDate', 'Invoice date'],
  ['countedBy', 'Counted by'],
  ['discrepancy', 'Count unlike invoice'],
];

/** Stock received (the blind count in) on the range's dates, oldest first. */
export async function receiptRows(m: EntityManager, g: Range): Promise<ReceiptRow[]> {
  const rows = await m.query<Raw[]>(
    `SELECT to_char(r.received_on, 'YYYY-MM-DD') AS received_on, reg.dea_number, r.ndc, r.lot, to_char(r.expires_on, 'YYYY-MM-DD') AS expires_on,
            r.containers_invoiced, r.containers_counted, r.supplier_name, r.supplier_address, r.supplier_dea_number, r.invoice_number,
            to_char(r.invoice_date, 'YYYY-MM-DD') AS invoice_date, u.name AS counted_by, ${PRODUCT_SQL},
            EXISTS (SELECT 1 FROM cs_discrepancies d WHERE d.receipt_id = r.id) AS discrepancy
       FROM cs_receipts r JOIN cs_products p ON p.id = r.product_id JOIN cs_registrations reg ON reg.id = r.registration_id
       JOIN users u ON u.id = r.counted_by
      WHERE r.clinic_id = $1 AND r.status = 'received' AND r.received_on BETWEEN $2 AND $3
      ORDER BY r.received_on, r.counted_at, r.id`,
    [g.clinicId, g.from, g.to],
  );
  return rows.map((r) => {
    const p = presented(r);
    const quantity = qty(Number(r['containers_counted']) * p.unitsPerContainer);
    return {
      receivedOn: String(r['received_on']),
      registration: String(r['dea_number']),
      product: p.productName,
      finishedForm: finishedForm(p),
      unitsPerContainer: unitsPerContainer(p),
      ndc: String(r['ndc']),
      lot: String(r['lot']),
      expiresOn: String(r['expires_on']),
      containersInvoiced: Number(r['containers_invoiced']),
      containersReceived: Number(r['containers_counted']),
      quantity,
      unit: p.unit,
      mg: qty(quantity * p.mgPerUnit),
      supplierName: String(r['supplier_name']),
      supplierAddress: String(r['supplier_address']),
      supplierDeaNumber: String(r['supplier_dea_number']),
      invoiceNumber: String(r['invoice_number']),
      invoiceDate: str(r['invoice_date']),
      countedBy: String(r['counted_by']),
      discrepancy: r['discrepancy'] === true,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Discrepancies

export interface DiscrepancyRow {
  openedAt: string;
  registration: string;
  kind: string;
  product: string;
  lot: string;
  subject: string;
  expected: number;
  counted: number;
  variance: number;
  unit: string;
  openedBy: string;
  dueAt: string;
  status: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  balanceCorrected: boolean;
}

export const DISCREPANCY_COLUMNS: Columns<DiscrepancyRow> = [
  ['openedAt', 'Found'],
  ['registration', 'DEA registration'],
  ['kind', 'Kind'],
  ['product', 'Product'],
  ['lot', 'Lot'],
  ['subject', 'Container or invoice'],
  ['expected', 'Expected'],
  ['counted', 'Counted'],
  ['variance', 'Variance'],
  ['unit', 'Unit'],
  ['openedBy', 'Found by'],
  ['dueAt', 'Resolve by'],
  ['status', 'Status'],
  ['resolvedAt', 'Resolved'],
  ['resolvedBy', 'Resolved by'],
  ['resolution', 'Resolution'],
  ['balanceCorrected', 'Balance corrected'],
];

/** Discrepancies found in the range, oldest first, with how each was resolved. */
export async function discrepancyRows(m: EntityManager, g: Range): Promise<DiscrepancyRow[]> {
  const rows = await m.query<Raw[]>(
    `SELECT d.opened_at, d.due_at, d.resolved_at, d.kind, d.expected::text AS expected, d.found::text AS found, d.unit, d.status,
            d.resolution, d.correction_event_id, reg.dea_number, o.name AS opened_by, rv.name AS resolved_by,
            coalesce(cp.name, rp.name) AS product, coalesce(c.lot, r.lot) AS lot, c.seq, r.invoice_number
       FROM cs_discrepancies d JOIN cs_registrations reg ON reg.id = d.registration_id JOIN users o ON o.id = d.opened_by
       LEFT JOIN users rv ON rv.id = d.resolved_by
       LEFT JOIN cs_containers c ON c.id = d.container_id LEFT JOIN cs_products cp ON cp.id = c.product_id
       LEFT JOIN cs_receipts r ON r.id = d.receipt_id LEFT JOIN cs_products rp ON rp.id = r.product_id
      WHERE d.clinic_id = $1 AND d.opened_at >= $2 AND d.opened_at < $3
      ORDER BY d.opened_at, d.id`,
    [g.clinicId, g.start, g.end],
  );
  return rows.map((r) => ({
    openedAt: stamp(r['opened_at'] as Date, g.timeZone)!,
    registration: String(r['dea_number']),
    kind: String(r['kind']),
    product: str(r['product']) ?? '',
    lot: str(r['lot']) ?? '',
    subject: r['seq'] !== null ? `${String(r['lot'])}/${Number(r['seq'])}` : `invoice ${String(r['invoice_number'])}`,
    expected: Number(r['expected']),
    counted: Number(r['found']),
    variance: qty(Number(r['found']) - Number(r['expected'])),
    unit: String(r['unit']),
    openedBy: String(r['opened_by']),
    dueAt: stamp(r['due_at'] as Date, g.timeZone)!,
    status: String(r['status']),
    resolvedAt: stamp(r['resolved_at'] as Date | null, g.timeZone),
    resolvedBy: str(r['resolved_by']),
    resolution: str(r['resolution']),
    balanceCorrected: r['correction_event_id'] !== null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Theft and loss (21 CFR 1301.76(b))

export interface LossRow {
  discoveredAt: string;
  registration: string;
  kind: string;
  narrative: string;
  product: string | null;
  ndc: string | null;
  lot: string | null;
  container: string | null;
  quantity: number | null;
  unit: string | null;
  mg: number | null;
  status: string;
  noticeDueAt: string;
  notifiedAt: string | null;
  noticeReference: string | null;
  form106DueAt: string;
  form106FiledAt: string | null;
  form106Number: string | null;
  reportedBy: string;
}

export const LOSS_COLUMNS: Columns<LossRow> = [
  ['discoveredAt', 'Discovered'],
  ['registration', 'DEA registration'],
  ['kind', 'Theft or loss'],
  ['narrative', 'What happened'],
  ['product', 'Product'],
  ['ndc', 'NDC'],
  ['lot', 'Lot'],
  ['container', 'Container'],
  ['quantity', 'Quantity'],
  ['unit', 'Unit'],
  ['mg', 'mg'],
  ['status', 'Status'],
  ['noticeDueAt', 'Notice due'],
  ['notifiedAt', 'Field office notified'],
  ['noticeReference', 'Notice reference'],
  ['form106DueAt', 'Form 106 due'],
  ['form106FiledAt', 'Form 106 filed'],
  ['form106Number', 'Form 106 confirmation'],
  ['reportedBy', 'Reported by'],
];

/** Thefts and losses discovered in the range, oldest first, with the two DEA clocks and what was recorded of them. */
export async function lossRows(m: EntityManager, g: Range): Promise<LossRow[]> {
  const rows = await m.query<Raw[]>(
    `SELECT l.discovered_at, l.kind, l.narrative, l.status, l.notice_due_at, l.notified_at, l.notice_reference, l.form106_due_at,
            l.form106_filed_at, l.form106_number, reg.dea_number, u.name AS reported_by, p.name AS product, c.ndc, c.lot, c.seq,
            e.quantity::text AS quantity, e.unit, e.quantity_mg::text AS mg
       FROM cs_loss_reports l JOIN cs_registrations reg ON reg.id = l.registration_id JOIN users u ON u.id = l.reported_by
       LEFT JOIN cs_events e ON e.id = l.loss_event_id LEFT JOIN cs_containers c ON c.id = l.container_id
       LEFT JOIN cs_products p ON p.id = c.product_id
      WHERE l.clinic_id = $1 AND l.discovered_at >= $2 AND l.discovered_at < $3
      ORDER BY l.discovered_at, l.id`,
    [g.clinicId, g.start, g.end],
  );
  const at = (v: Raw[string]) => stamp(v as Date | null, g.timeZone);
  return rows.map((r) => ({
    discoveredAt: at(r['discovered_at'])!,
    registration: String(r['dea_number']),
    kind: String(r['kind']),
    narrative: String(r['narrative']),
    product: str(r['product']),
    ndc: str(r['ndc']),
    lot: str(r['lot']),
    container: r['seq'] === null ? null : `${String(r['lot'])}/${Number(r['seq'])}`,
    quantity: num(r['quantity']),
    unit: str(r['unit']),
    mg: num(r['mg']),
    status: String(r['status']),
    noticeDueAt: at(r['notice_due_at'])!,
    notifiedAt: at(r['notified_at']),
    noticeReference: str(r['notice_reference']),
    form106DueAt: at(r['form106_due_at'])!,
    form106FiledAt: at(r['form106_filed_at']),
    form106Number: str(r['form106_number']),
    reportedBy: String(r['reported_by']),
  }));
}
