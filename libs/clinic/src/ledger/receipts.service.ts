import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  keysetPage,
  PendingWorkService,
  TransactionRunner,
  type Actor,
  type Page,
  type RuleProblem,
} from '#platform';
import { ClinicSettingsService } from '../settings/index.js';
import { deaNumberProblem } from './dea-number.js';
import { openDiscrepancy } from './discrepancies.js';
import { appendEvent, clinicDate, containerLabel } from './ledger-book.js';
import { ndc11, NDC_SHAPES } from './ndc.js';
import { CsProduct, CsRegistration } from './registry.entity.js';
import { LedgerRegistryService } from './registry.service.js';
import { CsContainer, CsReceipt } from './stock.entity.js';
import { receiptView, type ReceiptView } from './views.js';

export interface ReceiptInput {
  registrationId: string;
  productId: string;
  ndc: string;
  lot: string;
  expiresOn: string;
  supplierName: string;
  supplierAddress: string;
  supplierDeaNumber: string;
  invoiceNumber: string;
  invoiceDate?: string | null;
  containersInvoiced: number;
}

export interface ReceiptCount {
  containersCounted: number;
  /** The day the stock actually arrived (the clinic's date; default today). */
  receivedOn?: string;
}

export interface CountedReceipt extends ReceiptView {
  containers: Array<{ id: string; label: string }>;
  /** Opened when the count differs from the invoice. */
  discrepancyId: string | null;
}

/**
 * Receiving stock (administrators and anesthesiologists): the invoice first, then the receiver's blind
 * count, which alone puts containers in stock, each with its `receipt` event.
 */
@Injectable()
export class LedgerReceiptsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly registry: LedgerRegistryService,
    private readonly pendingWork: PendingWorkService,
    private readonly settings: ClinicSettingsService,
  ) {}

  async enter(actor: Actor, input: ReceiptInput): Promise<ReceiptView> {
    const fields = [
      ndc11(input.ndc) ? null : { field: 'ndc', message: NDC_SHAPES },
      deaNumberProblem(input.supplierDeaNumber) && { field: 'supplierDeaNumber', message: deaNumberProblem(input.supplierDeaNumber)! },
    ].filter((f): f is { field: string; message: string } => Boolean(f));
    if (fields.length) throw DomainError.validation(fields);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const registration = await this.registration(m, actor.clinicId, input.registrationId);
      const product = await this.registry.usableProduct(m, actor.clinicId, input.productId);
      if (product.ndc && ndc11(product.ndc) !== ndc11(input.ndc))
        throw DomainError.validation([{ field: 'ndc', message: `this product's NDC is ${product.ndc}` }]);
      const today = await clinicDate(m, actor.clinicId, this.clock.now());
      const problems = receivingProblems(registration, product, input.expiresOn, today);
      if (problems.length) throw DomainError.firstRuleUnmet('The stock cannot be received', problems);
      const receipt = m.create(CsReceipt, {
        ...input,
        lot: input.lot.trim(),
        supplierName: input.supplierName.trim(),
        supplierAddress: input.supplierAddress.trim(),
        invoiceNumber: input.invoiceNumber.trim(),
        invoiceDate: input.invoiceDate ?? null,
        clinicId: actor.clinicId,
        status: 'awaiting-count',
        enteredBy: actor.userId,
      });
      await m.insert(CsReceipt, receipt);
      await this.audit.record(tx, {
        action: 'ledger.receipt.enter',
        resourceType: 'cs_receipt',
        resourceId: receipt.id,
        changes: { ...input },
      });
      return receiptView(await m.findOneByOrFail(CsReceipt, { id: receipt.id }));
    });
  }

  /** The receiver's blind count: the counted containers enter stock; a count unlike the invoice opens a discrepancy. */
  async count(actor: Actor, id: string, input: ReceiptCount): Promise<CountedReceipt> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const receipt = await findInClinicOr404(m, CsReceipt, actor.clinicId, { id }, 'Receipt', { lock: true });
      if (receipt.status !== 'awaiting-count')
        throw DomainError.conflict(ErrorCode.AlreadyCounted, 'This receipt has been counted already');
      const today = await clinicDate(m, actor.clinicId, now);
      const receivedOn = input.receivedOn ?? today;
      if (receivedOn > today) throw DomainError.validation([{ field: 'receivedOn', message: `after today (${today})` }]);
      if (receipt.invoiceDate && receivedOn < receipt.invoiceDate)
        throw DomainError.validation([{ field: 'receivedOn', message: `before the invoice date (${receipt.invoiceDate})` }]);
      const registration = await m.findOneByOrFail(CsRegistration, { id: receipt.registrationId });
      const product = await m.findOneByOrFail(CsProduct, { id: receipt.productId });
      const problems = receivingProblems(registration, product, receipt.expiresOn, today);
      if (problems.length) throw DomainError.firstRuleUnmet('The stock cannot be received', problems);
      Object.assign(receipt, {
        status: 'received',
        containersCounted: input.containersCounted,
        receivedOn,
        countedBy: actor.userId,
        countedAt: now,
      });
      await m.save(receipt);
      const containers = await this.stock(m, actor, receipt, product, now);
      const discrepancy =
        input.containersCounted === receipt.containersInvoiced
          ? null
          : await openDiscrepancy(
              tx,
              { pendingWork: this.pendingWork, settings: this.settings },
              {
                clinicId: actor.clinicId,
                registrationId: receipt.registrationId,
                kind: 'receipt-count',
                receiptId: receipt.id,
                expected: receipt.containersInvoiced,
                found: input.containersCounted,
                unit: 'container',
                openedBy: actor.userId,
                at: now,
              },
            );
      await this.audit.record(tx, {
        action: 'ledger.receipt.count',
        resourceType: 'cs_receipt',
        resourceId: receipt.id,
        changes: {
          invoiced: receipt.containersInvoiced,
          counted: input.containersCounted,
          receivedOn,
          discrepancyId: discrepancy?.id ?? null,
        },
      });
      return { ...receiptView(receipt), containers, discrepancyId: discrepancy?.id ?? null };
    });
  }

  async list(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<ReceiptView>> {
    const q = this.dataSource.createQueryBuilder(CsReceipt, 'r').where('r.clinic_id = :clinicId', { clinicId: actor.clinicId });
    return keysetPage(q, {
      sortColumn: 'r.created_at',
      idColumn: 'r.id',
      order: 'DESC',
      limit: page.limit,
      cursor: page.cursor,
      key: (r) => ({ at: r.createdAt, id: r.id }),
      view: receiptView,
    });
  }

  /** One sealed container per counted one, each full by its `receipt` event. */
  private async stock(m: EntityManager, actor: Actor, r: CsReceipt, p: CsProduct, at: Date): Promise<Array<{ id: string; label: string }>> {
    const made: Array<{ id: string; label: string }> = [];
    for (let seq = 1; seq <= (r.containersCounted ?? 0); seq++) {
      const c = m.create(CsContainer, {
        clinicId: r.clinicId,
        registrationId: r.registrationId,
        productId: r.productId,
        receiptId: r.id,
        seq,
        ndc: r.ndc,
        lot: r.lot,
        expiresOn: r.expiresOn,
        status: 'sealed',
        balance: 0,
      });
      await m.insert(CsContainer, c);
      await appendEvent(m, c, p, {
        kind: 'receipt',
        occurredAt: at,
        actorUserId: actor.userId,
        quantity: p.unitsPerContainer,
        quantityMg: p.unitsPerContainer * p.mgPerUnit,
        delta: p.unitsPerContainer,
        receiptId: r.id,
        data: { receivedOn: r.receivedOn, invoiceNumber: r.invoiceNumber },
      });
      made.push({ id: c.id, label: containerLabel(c) });
    }
    return made;
  }

  private async registration(m: EntityManager, clinicId: string, id: string): Promise<CsRegistration> {
    const r = await m.findOneBy(CsRegistration, { id, clinicId });
    if (!r) throw DomainError.validation([{ field: 'registrationId', message: 'no DEA registration of your clinic has this id' }]);
    return r;
  }
}

/** A lapsed registration receives nothing; it must list the product's schedule; an expired lot is not taken into stock. */
function receivingProblems(r: CsRegistration, p: CsProduct, lotExpiresOn: string, today: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (r.expiresOn < today)
    problems.push({
      code: 'CS_REGISTRATION_EXPIRED',
      message: `the DEA registration ${r.deaNumber} expired on ${r.expiresOn}`,
      overridable: false,
    });
  if (!r.schedules.includes(p.schedule as never))
    problems.push({
      code: 'CS_SCHEDULE_NOT_REGISTERED',
      message: `the DEA registration ${r.deaNumber} does not list schedule ${p.schedule}`,
      overridable: false,
    });
  if (lotExpiresOn < today)
    problems.push({ code: 'CS_CONTAINER_EXPIRED', message: `the lot expired on ${lotExpiresOn}`, overridable: false });
  return problems;
}
