import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, Clinic, Clock, DomainError, localParts, TransactionRunner, type Actor, type Tx } from '#platform';
import { ClinicSettingsService } from '../settings/index.js';
import { dispensingCsv, dispensingRows, type DispensingRow } from './dispensing-log.js';
import { onHandMoment, rangeRows, type RangeReportName } from './inspection.service.js';
import { ON_HAND_COLUMNS, onHandRows, type OnHandRow } from './inspection-stock-rows.js';
import { CHARS_PER_LINE, renderPdf, type PdfColumn } from './pdf-table.js';
import { qty } from './quantities.js';
import { CsRegistration } from './registry.entity.js';
import { sha256Of, toCsv, type Cell, type Columns } from './report-csv.js';

export interface Printed {
  pdf: Buffer;
  /** Of the PDF, recorded in the audit trail with the SHA-256 of the same report as CSV. */
  sha256: string;
  retentionYears: number;
  filename: string;
}

/** "0.7 mL", "1 device", "2 devices". */
const amount = (quantity: number, unit: string) => `${quantity} ${unit === 'device' && quantity !== 1 ? 'devices' : unit}`;

const DISPENSING: PdfColumn<DispensingRow>[] = [
  { header: 'Date', width: 16, value: (r) => r.date },
  { header: 'Substance, form, units per container', width: 22, value: (r) => `${r.substance}; ${r.finishedForm}; ${r.unitsPerContainer}` },
  { header: 'NDC, container', width: 14, value: (r) => `${r.ndc} ${r.container}` },
  { header: 'Given', width: 10, align: 'right', value: (r) => amount(r.quantityAdministered, r.unit) },
  { header: 'mg', width: 7, align: 'right', value: (r) => String(r.mgAdministered) },
  { header: 'Drawn', width: 9, align: 'right', value: (r) => amount(r.drawn, r.unit) },
  { header: 'Wasted', width: 9, align: 'right', value: (r) => amount(r.wasted, r.unit) },
  { header: 'Patient', width: 16, value: (r) => r.patientName },
  { header: 'Patient address', width: 20, value: (r) => r.patientAddress },
  { header: 'Administered by', width: 14, value: (r) => r.administeredBy },
  { header: 'Waste witnessed by', width: 14, value: (r) => r.wasteWitnesses },
];

const ON_HAND: PdfColumn<OnHandRow>[] = [
  { header: 'Product', width: 24, value: (r) => r.product },
  { header: 'Finished form', width: 22, value: (r) => r.finishedForm },
  { header: 'Units per container', width: 16, value: (r) => r.unitsPerContainer },
  { header: 'NDC', width: 13, value: (r) => r.ndc },
  { header: 'Lot', width: 12, value: (r) => r.lot },
  { header: 'Expires', width: 10, value: (r) => (r.expired ? `${r.expiresOn} EXPIRED` : r.expiresOn) },
  { header: 'Containers', width: 10, align: 'right', value: (r) => String(r.containers) },
  { header: 'Sealed', width: 6, align: 'right', value: (r) => String(r.sealed) },
  { header: 'Opened', width: 6, align: 'right', value: (r) => String(r.opened) },
  { header: 'Quarant.', width: 8, align: 'right', value: (r) => String(r.quarantined) },
  { header: 'Quantity', width: 12, align: 'right', value: (r) => amount(r.quantity, r.unit) },
  { header: 'mg', width: 10, align: 'right', value: (r) => String(r.mg) },
];

const RANGE_TITLES: Record<RangeReportName, string> = {
  receipts: 'RECEIPTS - controlled substances received, with supplier and blind count (21 CFR 1304.22(c))',
  discrepancies: 'DISCREPANCIES - counts unlike the ledger, and how each was resolved',
  losses: 'THEFT OR LOSS - discoveries, notices to the DEA and Form 106 (21 CFR 1301.76(b))',
  disposals: 'DESTRUCTIONS AND TRANSFERS - on-site destructions (DEA Form 41) and returns to reverse distributors',
  inventories: 'INVENTORIES - initial, biennial and ad hoc, counted and witnessed (21 CFR 1304.11)',
};

/** One printed line of a record: two of its fields side by side. */
export interface FieldPair {
  field1: string;
  value1: string;
  field2: string;
  value2: string;
}

const FIELD = 24;
const VALUE = Math.floor((CHARS_PER_LINE - 2 * FIELD - 6) / 2);
const PAIR_COLUMNS: PdfColumn<FieldPair>[] = [
  { header: 'Field', width: FIELD, value: (p) => p.field1 },
  { header: 'Value', width: VALUE, value: (p) => p.value1 },
  { header: 'Field', width: FIELD, value: (p) => p.field2 },
  { header: 'Value', width: VALUE, value: (p) => p.value2 },
];

/**
 * A report with more columns than a landscape page reads well, printed record by record: each
 * record's heading line, then its fields (every column of its CSV, in the CSV's order) two a line.
 */
export function recordLines<R extends { [K in keyof R]: Cell }>(
  columns: Columns<R>,
  rows: R[],
): { columns: PdfColumn<FieldPair>[]; rows: FieldPair[] } {
  const text = (v: Cell) => (v === null ? '-' : String(v));
  const lines: FieldPair[] = [];
  rows.forEach((r, n) => {
    lines.push({ field1: `RECORD ${n + 1} OF ${rows.length}`, value1: '', field2: '', value2: '' });
    for (let i = 0; i < columns.length; i += 2) {
      const [k1, h1] = columns[i];
      const second = columns[i + 1];
      lines.push({ field1: h1, value1: text(r[k1]), field2: second?.[1] ?? '', value2: second ? text(r[second[0]]) : '' });
    }
  });
  return { columns: PAIR_COLUMNS, rows: lines };
}

/**
 * Printable PDFs of the dispensing log, the stock on hand and the other reports an inspector asks
 * for (receipts, discrepancies, losses, destructions and transfers, inventories): the same rows as
 * the JSON and CSV, headed by the clinic, its DEA registrations, the period, when it was
 * produced, how long the records are kept and the SHA-256 of the same report as CSV. Each PDF handed
 * out is audited with its own SHA-256.
 */
@Injectable()
export class LedgerPrintService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: ClinicSettingsService,
  ) {}

  async dispensing(actor: Actor, from: string, to: string): Promise<Printed> {
    if (to < from) throw DomainError.validation([{ field: 'to', message: `before from (${from})` }]);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const rows = await dispensingRows(m, actor.clinicId, from, to);
      const csv = dispensingCsv(rows);
      const given = (substance: string, unit: string) =>
        qty(
          rows
            .filter((r) => r.substance.toLowerCase().startsWith(substance))
            .reduce((s, r) => s + (unit === 'mg' ? r.mgAdministered : r.quantityAdministered), 0),
        );
      const head = await this.heading(m, actor.clinicId, `Period ${from} to ${to}`, csv.sha256);
      const pdf = renderPdf(
        {
          title: 'DISPENSING LOG - controlled substances administered (21 CFR 1304.22(c))',
          heading: head.lines,
          columns: DISPENSING,
          rows,
          closing: [
            `${rows.length} administrations. Given: ketamine ${given('ketamine', 'mg')} mg; esketamine ${amount(given('esketamine', 'devices'), 'device')} (${given('esketamine', 'mg')} mg).`,
          ],
          footer: `${head.clinic} - dispensing log ${from} to ${to}`,
        },
        { title: `Dispensing log ${from} to ${to}`, createdAt: this.clock.now() },
      );
      return this.record(
        tx,
        actor,
        'dispensing',
        { from, to, rows: rows.length, csvSha256: csv.sha256 },
        pdf,
        head.retentionYears,
        `dispensing-${from}-${to}`,
      );
    });
  }

  async onHand(actor: Actor, f: { asOf?: string; registrationId?: string }): Promise<Printed> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const { asOf, at } = onHandMoment(now, f.asOf, clinic.timeZone);
      const rows = await onHandRows(m, actor.clinicId, at, asOf, f.registrationId);
      const csv = toCsv(ON_HAND_COLUMNS, rows);
      const sum = (substance: string, pick: (r: OnHandRow) => number) =>
        qty(rows.filter((r) => r.substance === substance).reduce((s, r) => s + pick(r), 0));
      const moment = at === now ? `As of ${asOf} ${localParts(now, clinic.timeZone).time}` : `As of the end of ${asOf}`;
      const head = await this.heading(m, actor.clinicId, `${moment} (${clinic.timeZone}); summed from the ledger's events`, csv.sha256);
      const pdf = renderPdf(
        {
          title: 'STOCK ON HAND - controlled substances by product, NDC, lot and expiry',
          heading: head.lines,
          columns: ON_HAND,
          rows,
          closing: [
            `Totals: ketamine ${sum('ketamine', (r) => r.mg)} mg; esketamine ${amount(
              sum('esketamine', (r) => r.quantity),
              'device',
            )}. Expired stock stays on hand, segregated, until destroyed or returned.`,
          ],
          footer: `${head.clinic} - stock on hand ${asOf}`,
        },
        { title: `Stock on hand ${asOf}`, createdAt: now },
      );
      const changes = { asOf, registrationId: f.registrationId ?? null, rows: rows.length, csvSha256: csv.sha256 };
      return this.record(tx, actor, 'on-hand', changes, pdf, head.retentionYears, `on-hand-${asOf}`);
    });
  }

  /** One of the range reports between two of the clinic's dates, with every column of its CSV. */
  async range(actor: Actor, name: RangeReportName, from: string, to: string): Promise<Printed> {
    if (to < from) throw DomainError.validation([{ field: 'to', message: `before from (${from})` }]);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const { rows, columns, sha256: csvSha256 } = await rangeRows(m, clinic, name, from, to);
      const head = await this.heading(m, actor.clinicId, `Period ${from} to ${to}`, csvSha256);
      const pdf = renderPdf(
        {
          title: RANGE_TITLES[name],
          heading: head.lines,
          ...recordLines(columns as Columns<Record<string, Cell>>, rows as unknown as Array<Record<string, Cell>>),
          closing: [`${rows.length} ${rows.length === 1 ? 'record' : 'records'}.`],
          footer: `${head.clinic} - ${name} ${from} to ${to}`,
        },
        { title: `${name[0].toUpperCase()}${name.slice(1)} ${from} to ${to}`, createdAt: this.clock.now() },
      );
      return this.record(tx, actor, name, { from, to, rows: rows.length, csvSha256 }, pdf, head.retentionYears, `${name}-${from}-${to}`);
    });
  }

  /** The clinic, its DEA registrations, the period, when, the retention and the CSV's SHA-256. */
  private async heading(m: EntityManager, clinicId: string, period: string, csvSha256: string) {
    const clinic = await m.findOneByOrFail(Clinic, { id: clinicId });
    const registrations = await m.find(CsRegistration, { where: { clinicId }, order: { createdAt: 'ASC' } });
    const { csRecordRetentionYears } = await this.settings.forClinic(clinicId, m);
    const generated = localParts(this.clock.now(), clinic.timeZone);
    return {
      clinic: clinic.name,
      retentionYears: csRecordRetentionYears,
      lines: [
        `${clinic.name}. ${period}.`,
        ...registrations.map(
          (r) =>
            `DEA registration ${r.deaNumber}: ${r.registrantName}, ${r.address} (schedules ${r.schedules.join(', ')}; valid through ${r.expiresOn}).`,
        ),
        `Produced by Vigil on ${generated.date} ${generated.time} (${clinic.timeZone}). Records are kept ${csRecordRetentionYears} years (21 CFR 1304.04(a): at least 2).`,
        `SHA-256 of the same report as CSV: ${csvSha256}.`,
      ],
    };
  }

  private async record(
    tx: Tx,
    actor: Actor,
    name: string,
    changes: Record<string, unknown>,
    pdf: Buffer,
    retentionYears: number,
    filename: string,
  ): Promise<Printed> {
    const sha256 = sha256Of(pdf);
    await this.audit.record(tx, {
      action: `ledger.report.${name}`,
      resourceType: 'clinic',
      resourceId: actor.clinicId,
      changes: { ...changes, format: 'pdf', sha256 },
    });
    return { pdf, sha256, retentionYears, filename };
  }
}
