import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, Clinic, Clock, DomainError, localDate, TransactionRunner, zonedTimeToUtc, type Actor, type Tx } from '#platform';
import { ClinicSettingsService } from '../settings/index.js';
import {
  DISCREPANCY_COLUMNS,
  discrepancyRows,
  LOSS_COLUMNS,
  lossRows,
  RECEIPT_COLUMNS,
  receiptRows,
  type DiscrepancyRow,
  type LossRow,
  type Range,
  type ReceiptRow,
} from './inspection-rows.js';
import {
  DISPOSAL_COLUMNS,
  disposalRows,
  INVENTORY_COLUMNS,
  inventoryRows,
  ON_HAND_COLUMNS,
  onHandRows,
  type DisposalRow,
  type InventoryRow,
  type OnHandRow,
} from './inspection-stock-rows.js';
import { addDays } from './loss-deadlines.js';
import { qty } from './quantities.js';
import { toCsv, type Cell, type Columns } from './report-csv.js';

/** What heads every report: whose records, how long they are kept, when it was produced. */
export interface ReportHeading {
  clinicName: string;
  generatedAt: string;
  /** The clinic's `csRecordRetentionYears` (21 CFR 1304.04(a): at least 2). */
  retentionYears: number;
}

export interface RangeReport<R> extends ReportHeading {
  from: string;
  to: string;
  rows: R[];
  csv: string;
  /** Of the CSV: recorded in the audit trail with the report. */
  sha256: string;
}

export interface OnHandInspection extends ReportHeading {
  /** The clinic's date the stock is counted to (its end, or now when it is today). */
  asOf: string;
  registrationId: string | null;
  rows: OnHandRow[];
  totals: { ketamineMg: number; esketamineDevices: number };
  csv: string;
  sha256: string;
}

export const RANGE_REPORTS = {
  receipts: { columns: RECEIPT_COLUMNS, rows: receiptRows },
  discrepancies: { columns: DISCREPANCY_COLUMNS, rows: discrepancyRows },
  losses: { columns: LOSS_COLUMNS, rows: lossRows },
  disposals: { columns: DISPOSAL_COLUMNS, rows: disposalRows },
  inventories: { columns: INVENTORY_COLUMNS, rows: inventoryRows },
} as const;
export type RangeReportName = keyof typeof RANGE_REPORTS;
export type RowOf<N extends RangeReportName> = {
  receipts: ReceiptRow;
  discrepancies: DiscrepancyRow;
  losses: LossRow;
  disposals: DisposalRow;
  inventories: InventoryRow;
}[N];

/** A range report's rows between two of the clinic's dates (whole days in its zone), with its CSV and the CSV's SHA-256. */
export async function rangeRows<N extends RangeReportName>(
  m: EntityManager,
  clinic: Clinic,
  name: N,
  from: string,
  to: string,
): Promise<{ rows: RowOf<N>[]; columns: Columns<RowOf<N>>; csv: string; sha256: string }> {
  const range: Range = {
    clinicId: clinic.id,
    from,
    to,
    start: zonedTimeToUtc(from, '00:00', clinic.timeZone),
    end: zonedTimeToUtc(addDays(to, 1), '00:00', clinic.timeZone),
    timeZone: clinic.timeZone,
  };
  const spec = RANGE_REPORTS[name] as unknown as { columns: Columns<RowOf<N>>; rows: (m: EntityManager, g: Range) => Promise<RowOf<N>[]> };
  const rows = await spec.rows(m, range);
  const { csv, sha256 } = toCsv(spec.columns as Columns<Record<string, Cell>>, rows as unknown as Record<string, Cell>[]);
  return { rows, columns: spec.columns, csv, sha256 };
}

/** The clinic's day the stock is counted to and the moment it ends (now, for today); 400 naming `asOf` for a day to come. */
export function onHandMoment(now: Date, asOf: string | undefined, timeZone: string): { asOf: string; at: Date } {
  const today = localDate(now, timeZone);
  if (asOf && asOf > today) throw DomainError.validation([{ field: 'asOf', message: `after today (${today})` }]);
  const day = asOf ?? today;
  return { asOf: day, at: day === today ? now : zonedTimeToUtc(addDays(day, 1), '00:00', timeZone) };
}

/**
 * The reports a DEA inspector asks for, beside the dispensing log: receipts, discrepancies, losses,
 * destructions and transfers, and inventories between two of the clinic's dates, and the stock on
 * hand at the end of a day. Each comes as rows and as CSV; every report handed out is audited with
 * the SHA-256 of its CSV, and each states the clinic's record retention.
 */
@Injectable()
export class LedgerInspectionService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: ClinicSettingsService,
  ) {}

  async report<N extends RangeReportName>(actor: Actor, name: N, from: string, to: string): Promise<RangeReport<RowOf<N>>> {
    if (to < from) throw DomainError.validation([{ field: 'to', message: `before from (${from})` }]);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const { rows, csv, sha256 } = await rangeRows(m, clinic, name, from, to);
      const heading = await this.heading(tx, clinic);
      await this.audit.record(tx, {
        action: `ledger.report.${name}`,
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { from, to, rows: rows.length, sha256 },
      });
      return { ...heading, from, to, rows, csv, sha256 };
    });
  }

  /** Stock on hand at the end of `asOf` (the clinic's date; now when it is today or absent), by product, NDC, lot and expiry. */
  async onHand(actor: Actor, f: { asOf?: string; registrationId?: string }): Promise<OnHandInspection> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const { asOf, at } = onHandMoment(now, f.asOf, clinic.timeZone);
      const rows = await onHandRows(m, actor.clinicId, at, asOf, f.registrationId);
      const { csv, sha256 } = toCsv(ON_HAND_COLUMNS, rows);
      const sum = (substance: string, pick: (r: OnHandRow) => number) =>
        qty(rows.filter((r) => r.substance === substance).reduce((s, r) => s + pick(r), 0));
      const heading = await this.heading(tx, clinic);
      await this.audit.record(tx, {
        action: 'ledger.report.on-hand',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { asOf, registrationId: f.registrationId ?? null, rows: rows.length, sha256 },
      });
      return {
        ...heading,
        asOf,
        registrationId: f.registrationId ?? null,
        rows,
        totals: { ketamineMg: sum('ketamine', (r) => r.mg), esketamineDevices: sum('esketamine', (r) => r.quantity) },
        csv,
        sha256,
      };
    });
  }

  private async heading(tx: Tx, clinic: Clinic): Promise<ReportHeading> {
    const { csRecordRetentionYears } = await this.settings.forClinic(clinic.id, tx.manager);
    return { clinicName: clinic.name, generatedAt: this.clock.now().toISOString(), retentionYears: csRecordRetentionYears };
  }
}
