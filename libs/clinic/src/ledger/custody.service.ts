import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  keysetPage,
  TransactionRunner,
  type Actor,
  type Page,
} from '#platform';
import { CsDiscrepancy } from './discrepancy.entity.js';
import { appendEvent, clinicDate, containerLabel, lockContainer } from './ledger-book.js';
import { qty } from './quantities.js';
import { CsProduct } from './registry.entity.js';
import { CsContainer } from './stock.entity.js';
import { containerView, discrepancyView, eventView, type ContainerView, type DiscrepancyView, type LedgerEventView } from './views.js';

export interface Resolution {
  resolution: string;
  /** A count's discrepancy: correct the balance to what was found (a `correction` event pointing at the count). */
  correctBalance?: boolean;
}

/** What anesthesiologists decide: discrepancies resolved with a reason, containers quarantined and released. */
@Injectable()
export class LedgerCustodyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async discrepancies(actor: Actor, f: { status?: 'open' | 'resolved'; limit: number; cursor?: string }): Promise<Page<DiscrepancyView>> {
    const q = this.dataSource.createQueryBuilder(CsDiscrepancy, 'd').where('d.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.status) q.andWhere('d.status = :status', { status: f.status });
    return keysetPage(q, {
      sortColumn: 'd.opened_at',
      idColumn: 'd.id',
      order: 'DESC',
      limit: f.limit,
      cursor: f.cursor,
      key: (d) => ({ at: d.openedAt, id: d.id }),
      view: discrepancyView,
    });
  }

  /**
   * Resolves a discrepancy with the reason it arose. For a count, `correctBalance` brings the
   * container's balance to what was found: a `correction` event pointing at the count, never an edit.
   */
  async resolve(actor: Actor, id: string, input: Resolution): Promise<DiscrepancyView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const d = await findInClinicOr404(m, CsDiscrepancy, actor.clinicId, { id }, 'Discrepancy', { lock: true });
      if (d.status !== 'open') throw DomainError.conflict(ErrorCode.AlreadyResolved, 'This discrepancy is already resolved');
      let correction: LedgerEventView | null = null;
      if (input.correctBalance) {
        if (d.kind !== 'count-variance' || !d.containerId || !d.eventId)
          throw DomainError.validation([
            { field: 'correctBalance', message: 'only a count corrects a balance: a receipt’s stock is what was counted' },
          ]);
        const c = await lockContainer(m, actor.clinicId, d.containerId);
        const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
        const delta = qty(d.found - d.expected);
        const event = await appendEvent(m, c, product, {
          kind: 'correction',
          occurredAt: now,
          actorUserId: actor.userId,
          quantity: Math.abs(delta),
          quantityMg: qty(Math.abs(delta) * product.mgPerUnit),
          delta,
          correctsEventId: d.eventId,
          reason: input.resolution.trim(),
          data: { discrepancyId: d.id, expected: d.expected, found: d.found },
        });
        correction = eventView(event);
      }
      Object.assign(d, {
        status: 'resolved',
        resolvedAt: now,
        resolvedBy: actor.userId,
        resolution: input.resolution.trim(),
        correctionEventId: correction?.id ?? null,
      });
      await m.save(d);
      await this.audit.record(tx, {
        action: 'ledger.discrepancy.resolve',
        resourceType: 'cs_discrepancy',
        resourceId: d.id,
        changes: { resolution: d.resolution, correctionEventId: d.correctionEventId, delta: correction?.delta ?? null },
      });
      return discrepancyView(d);
    });
  }

  /** Sets a container aside (a broken seal, a suspected tampering, a recall): nothing is drawn from it until released. */
  quarantine(actor: Actor, id: string, reason: string): Promise<ContainerView> {
    return this.setAside(actor, id, reason, true);
  }

  release(actor: Actor, id: string, reason: string): Promise<ContainerView> {
    return this.setAside(actor, id, reason, false);
  }

  private async setAside(actor: Actor, id: string, reason: string, quarantine: boolean): Promise<ContainerView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const c = await lockContainer(m, actor.clinicId, id);
      const ok = quarantine ? c.status === 'sealed' || c.status === 'open' : c.status === 'quarantined';
      if (!ok)
        throw DomainError.conflict(ErrorCode.ContainerState, `${containerLabel(c)} is ${c.status}`, [
          { code: 'CONTAINER_STATE', message: `${quarantine ? 'quarantine' : 'release'} is not possible from ${c.status}` },
        ]);
      const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
      const status = quarantine ? 'quarantined' : c.balance <= 0 ? 'empty' : c.openedAt ? 'open' : 'sealed';
      await appendEvent(m, c, product, {
        kind: quarantine ? 'quarantine' : 'release',
        occurredAt: now,
        actorUserId: actor.userId,
        quantity: c.balance,
        delta: 0,
        reason: reason.trim(),
      });
      await m.update(CsContainer, { id: c.id }, { status, statusReason: quarantine ? reason.trim() : null });
      Object.assign(c, { status, statusReason: quarantine ? reason.trim() : null });
      await this.audit.record(tx, {
        action: quarantine ? 'ledger.container.quarantine' : 'ledger.container.release',
        resourceType: 'cs_container',
        resourceId: c.id,
        changes: { status, reason },
      });
      return containerView(c, product, await clinicDate(m, actor.clinicId, now));
    });
  }
}
