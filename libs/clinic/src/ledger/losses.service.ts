import { Injectable } from '@nestjs/common';
import { Between, DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  JobName,
  keysetPage,
  localDate,
  PendingWorkService,
  TransactionRunner,
  type Actor,
  type Page,
  type Tx,
} from '#platform';
import { appendEvent, lockContainer } from './ledger-book.js';
import { addDays, lossDeadlines, lossMilestones } from './loss-deadlines.js';
import { CsHoliday, CsLossDeadline, CsLossReport } from './loss.entity.js';
import { lossView, type LossView } from './loss-view.js';
import { qty } from './quantities.js';
import { CsProduct, CsRegistration } from './registry.entity.js';

export interface LossInput {
  kind: 'theft' | 'loss';
  discoveredAt: Date;
  narrative: string;
  /** Required when no container is named (stock lost in transit, say). */
  registrationId?: string;
  containerId?: string;
  quantity?: number;
  unit?: 'mL' | 'device';
}

/**
 * Theft or significant loss (anesthesiologists report; anesthesiologists and administrators record
 * the notice and the Form 106). The report, its `loss` event and its six deadline rows (each a
 * pending-work row) are one transaction: a reminder survives a Redis flush.
 */
@Injectable()
export class LedgerLossesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly pendingWork: PendingWorkService,
  ) {}

  async report(actor: Actor, input: LossInput): Promise<LossView> {
    const now = this.clock.now();
    if (input.discoveredAt.getTime() > now.getTime() + 1000)
      throw DomainError.validation([{ field: 'discoveredAt', message: 'in the future' }]);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const taken = input.containerId ? await this.takeFromContainer(m, actor, input) : null;
      const registrationId = taken?.registrationId ?? (await this.registration(m, actor.clinicId, input.registrationId)).id;
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const d = lossDeadlines(
        input.discoveredAt,
        clinic.timeZone,
        await this.holidays(m, actor.clinicId, localDate(input.discoveredAt, clinic.timeZone)),
      );
      const report = m.create(CsLossReport, {
        clinicId: actor.clinicId,
        registrationId,
        kind: input.kind,
        discoveredAt: input.discoveredAt,
        narrative: input.narrative.trim(),
        containerId: input.containerId ?? null,
        quantity: taken ? input.quantity! : null,
        unit: taken ? input.unit! : null,
        lossEventId: taken?.eventId ?? null,
        noticeDueAt: d.noticeDueAt,
        form106DueAt: d.form106DueAt,
        status: 'open',
        reportedBy: actor.userId,
      });
      await m.save(report);
      await this.scheduleDeadlines(tx, report);
      await this.audit.record(tx, {
        action: 'ledger.loss.report',
        resourceType: 'cs_loss_report',
        resourceId: report.id,
        changes: {
          kind: input.kind,
          discoveredAt: input.discoveredAt.toISOString(),
          ...d,
          containerId: report.containerId,
          quantity: report.quantity,
        },
      });
      return this.view(m, actor, report.id);
    });
  }

  /** The written notice to the DEA field office was sent (once; then Form 106 may be recorded). */
  async recordNotice(actor: Actor, id: string, input: { notifiedAt: Date; reference: string }): Promise<LossView> {
    return this.advance(actor, id, 'open', input.notifiedAt, () => ({
      status: 'notified',
      notifiedAt: input.notifiedAt,
      noticeReference: input.reference.trim(),
    }));
  }

  /** DEA Form 106 was filed on the DEA's site: its confirmation number is kept. */
  async recordForm106(actor: Actor, id: string, input: { filedAt: Date; confirmationNumber: string }): Promise<LossView> {
    return this.advance(actor, id, 'notified', input.filedAt, () => ({
      status: 'filed',
      form106FiledAt: input.filedAt,
      form106Number: input.confirmationNumber.trim(),
    }));
  }

  async list(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<LossView>> {
    const q = this.dataSource.createQueryBuilder(CsLossReport, 'l').where('l.clinic_id = :clinicId', { clinicId: actor.clinicId });
    const rows = await keysetPage(q, {
      sortColumn: 'l.created_at',
      idColumn: 'l.id',
      order: 'DESC',
      limit: page.limit,
      cursor: page.cursor,
      key: (l) => ({ at: l.createdAt, id: l.id }),
      view: (l) => l.id,
    });
    const items: LossView[] = [];
    for (const id of rows.items) items.push(await this.view(this.dataSource.manager, actor, id));
    return { items, nextCursor: rows.nextCursor };
  }

  get(actor: Actor, id: string): Promise<LossView> {
    return this.view(this.dataSource.manager, actor, id);
  }

  private async view(m: EntityManager, actor: Actor, id: string): Promise<LossView> {
    const r = await findInClinicOr404(m, CsLossReport, actor.clinicId, { id }, 'Loss report');
    return lossView(m, r);
  }

  private async advance(
    actor: Actor,
    id: string,
    from: CsLossReport['status'],
    at: Date,
    changes: () => Partial<CsLossReport>,
  ): Promise<LossView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const r = await findInClinicOr404(m, CsLossReport, actor.clinicId, { id }, 'Loss report', { lock: true });
      if (r.status !== from)
        throw DomainError.conflict(ErrorCode.LossState, `This report is ${r.status}`, [
          { code: 'LOSS_STATE', message: from === 'notified' ? 'record the written notice first' : `already ${r.status}` },
        ]);
      const field = from === 'open' ? 'notifiedAt' : 'filedAt';
      const earliest = from === 'open' ? r.discoveredAt : r.notifiedAt!;
      if (at.getTime() > now.getTime() + 1000) throw DomainError.validation([{ field, message: 'in the future' }]);
      if (at < earliest) throw DomainError.validation([{ field, message: `before ${from === 'open' ? 'the discovery' : 'the notice'}` }]);
      const next = changes();
      await m.save(Object.assign(r, next));
      await this.audit.record(tx, {
        action: from === 'open' ? 'ledger.loss.notice' : 'ledger.loss.form-106',
        resourceType: 'cs_loss_report',
        resourceId: id,
        changes: { ...next, late: at > (from === 'open' ? r.noticeDueAt : r.form106DueAt) },
      });
      return this.view(m, actor, id);
    });
  }

  /** The lost quantity leaves its container by a `loss` event (never below zero). */
  private async takeFromContainer(m: EntityManager, actor: Actor, input: LossInput): Promise<{ registrationId: string; eventId: string }> {
    if (input.quantity === undefined || input.unit === undefined)
      throw DomainError.validation([
        ...(input.quantity === undefined ? [{ field: 'quantity', message: 'what was lost from the container' }] : []),
        ...(input.unit === undefined ? [{ field: 'unit', message: 'the container’s unit' }] : []),
      ]);
    const c = await lockContainer(m, actor.clinicId, input.containerId!).catch((err: unknown) => {
      if (err instanceof DomainError && err.status === 404)
        throw DomainError.validation([{ field: 'containerId', message: 'no container of your clinic has this id' }]);
      throw err;
    });
    if (input.registrationId && input.registrationId !== c.registrationId)
      throw DomainError.validation([{ field: 'registrationId', message: 'the container belongs to another registration' }]);
    const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
    if (product.unit !== input.unit)
      throw DomainError.validation([{ field: 'unit', message: `the container is counted in ${product.unit}` }]);
    const event = await appendEvent(m, c, product, {
      kind: 'loss',
      occurredAt: input.discoveredAt,
      actorUserId: actor.userId,
      quantity: input.quantity,
      quantityMg: qty(input.quantity * product.mgPerUnit),
      delta: -input.quantity,
      reason: `${input.kind}: ${input.narrative.trim()}`,
    });
    return { registrationId: c.registrationId, eventId: event.id };
  }

  private async registration(m: EntityManager, clinicId: string, id: string | undefined): Promise<CsRegistration> {
    const r = id ? await m.findOneBy(CsRegistration, { id, clinicId }) : null;
    if (!r)
      throw DomainError.validation([{ field: 'registrationId', message: 'the DEA registration of your clinic the stock belonged to' }]);
    return r;
  }

  /** The clinic's DEA holidays from the discovery day on (far enough for any next business day). */
  private async holidays(m: EntityManager, clinicId: string, from: string): Promise<Set<string>> {
    const rows = await m.find(CsHoliday, { where: { clinicId, date: Between(from, addDays(from, 31)) } });
    return new Set(rows.map((h) => h.date));
  }

  /** Six rows (reminders at half and nine tenths of each window, then overdue), each fired by the durable queue. */
  private async scheduleDeadlines(tx: Tx, report: CsLossReport): Promise<void> {
    const milestones = lossMilestones(report.discoveredAt, report);
    const rows = await tx.manager.save(
      milestones.map((ms) => tx.manager.create(CsLossDeadline, { clinicId: report.clinicId, lossReportId: report.id, ...ms })),
    );
    await this.pendingWork.scheduleMany(
      tx,
      rows.map((r) => ({ kind: JobName.LedgerLossDeadline, subjectId: r.id, dueAt: r.dueAt, clinicId: r.clinicId })),
    );
  }
}
