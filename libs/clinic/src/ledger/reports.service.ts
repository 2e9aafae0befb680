import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AuditService, Clock, DomainError, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import { CsEvent, type CsEventKind } from './cs-event.entity.js';
import { ClinicSettingsService } from '../settings/index.js';
import { dispensingCsv, dispensingRows, type DispensingRow } from './dispensing-log.js';
import { onHandRows } from './inspection-stock-rows.js';
import { clinicDate } from './ledger-book.js';
import { qty } from './quantities.js';
import { CsProduct } from './registry.entity.js';
import { CsContainer, type ContainerStatus } from './stock.entity.js';
import { containerView, eventView, type ContainerView, type LedgerEventView } from './views.js';

/** One product, NDC, lot and expiry on hand. */
export interface OnHandLine {
  productId: string;
  productName: string;
  substance: 'ketamine' | 'esketamine';
  ndc: string;
  lot: string;
  expiresOn: string;
  expired: boolean;
  unit: 'mL' | 'device';
  containers: number;
  sealed: number;
  open: number;
  quarantined: number;
  quantity: number;
  quantityMg: number;
}

export interface OnHandReport {
  asOf: string;
  registrationId: string | null;
  lines: OnHandLine[];
  /** Ketamine in mg whatever its strength; esketamine in devices. */
  totals: { ketamineMg: number; esketamineDevices: number };
}

export interface DispensingReport {
  from: string;
  to: string;
  /** The clinic's `csRecordRetentionYears`. */
  retentionYears: number;
  rows: DispensingRow[];
  csv: string;
  sha256: string;
}

export interface ContainerFilter {
  status?: ContainerStatus;
  productId?: string;
  limit: number;
  cursor?: string;
}

export interface EventFilter {
  containerId?: string;
  sessionId?: string;
  kind?: CsEventKind;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/** What is on hand, derived from the ledger's events; the containers to pick from; the ledger itself. */
@Injectable()
export class LedgerReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly settings: ClinicSettingsService,
  ) {}

  /**
   * The dispensing log from `from` to `to` (the clinic's dates, both included), as rows and as CSV.
   * Each report handed out is audited with its SHA-256 (that of the CSV), so a printed copy can be
   * matched to what Vigil produced.
   */
  async dispensing(actor: Actor, from: string, to: string): Promise<DispensingReport> {
    if (to < from) throw DomainError.validation([{ field: 'to', message: `before from (${from})` }]);
    return this.transactions.run(async (tx) => {
      const rows = await dispensingRows(tx.manager, actor.clinicId, from, to);
      const { csv, sha256 } = dispensingCsv(rows);
      await this.audit.record(tx, {
        action: 'ledger.report.dispensing',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { from, to, rows: rows.length, sha256 },
      });
      const { csRecordRetentionYears } = await this.settings.forClinic(actor.clinicId, tx.manager);
      return { from, to, retentionYears: csRecordRetentionYears, rows, csv, sha256 };
    });
  }

  /**
   * Stock on hand by product, NDC, lot and expiry: each container's quantity is the sum of its events
   * (not the running balance kept on the container row), so the report is the ledger's own arithmetic.
   * Expired stock is listed (and flagged) until it is destroyed or returned.
   */
  async onHand(actor: Actor, registrationId?: string): Promise<OnHandReport> {
    const now = this.clock.now();
    const today = await clinicDate(this.dataSource.manager, actor.clinicId, now);
    const rows = await onHandRows(this.dataSource.manager, actor.clinicId, now, today, registrationId);
    const lines = rows.map((r): OnHandLine => ({
      productId: r.productId,
      productName: r.product,
      substance: r.substance,
      ndc: r.ndc,
      lot: r.lot,
      expiresOn: r.expiresOn,
      expired: r.expired,
      unit: r.unit,
      containers: r.containers,
      sealed: r.sealed,
      open: r.opened,
      quarantined: r.quarantined,
      quantity: r.quantity,
      quantityMg: r.mg,
    }));
    const sum = (substance: string, pick: (l: OnHandLine) => number) =>
      qty(lines.filter((l) => l.substance === substance).reduce((s, l) => s + pick(l), 0));
    return {
      asOf: now.toISOString(),
      registrationId: registrationId ?? null,
      lines,
      totals: { ketamineMg: sum('ketamine', (l) => l.quantityMg), esketamineDevices: sum('esketamine', (l) => l.quantity) },
    };
  }

  /** Containers in stock (not empty, destroyed or returned, unless `status` asks), in the order received: no balances (counts are blind). */
  async containers(actor: Actor, f: ContainerFilter): Promise<Page<ContainerView>> {
    const today = await clinicDate(this.dataSource.manager, actor.clinicId, this.clock.now());
    const q = this.dataSource.createQueryBuilder(CsContainer, 'c').where('c.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.status) q.andWhere('c.status = :status', { status: f.status });
    else q.andWhere(`c.status IN ('sealed', 'open', 'quarantined')`);
    if (f.productId) q.andWhere('c.product_id = :productId', { productId: f.productId });
    const page = await keysetPage(q, {
      sortColumn: 'c.created_at',
      idColumn: 'c.id',
      order: 'ASC',
      limit: f.limit,
      cursor: f.cursor,
      key: (c) => ({ at: c.createdAt, id: c.id }),
      view: (c) => c,
    });
    const products = await this.dataSource.manager.findBy(CsProduct, { id: In([...new Set(page.items.map((c) => c.productId))]) });
    const byId = new Map(products.map((p) => [p.id, p]));
    return { items: page.items.map((c) => containerView(c, byId.get(c.productId)!, today)), nextCursor: page.nextCursor };
  }

  /** The ledger, newest first. */
  async events(actor: Actor, f: EventFilter): Promise<Page<LedgerEventView>> {
    const q = this.dataSource.createQueryBuilder(CsEvent, 'e').where('e.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.containerId) q.andWhere('e.container_id = :containerId', { containerId: f.containerId });
    if (f.sessionId) q.andWhere('e.session_id = :sessionId', { sessionId: f.sessionId });
    if (f.kind) q.andWhere('e.kind = :kind', { kind: f.kind });
    if (f.from) q.andWhere('e.occurred_at >= :from', { from: f.from });
    if (f.to) q.andWhere('e.occurred_at < :to', { to: f.to });
    return keysetPage(q, {
      sortColumn: 'e.recorded_at',
      idColumn: 'e.id',
      order: 'DESC',
      limit: f.limit,
      cursor: f.cursor,
      key: (e) => ({ at: e.recordedAt, id: e.id }),
      view: eventView,
    });
  }
}
