import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  findInClinicOr404,
  keysetPage,
  TransactionRunner,
  WitnessVerifier,
  type Actor,
  type Page,
  type RuleProblem,
  type WitnessSignature,
} from '#platform';
import { disposalProblems } from './container-rules.js';
import { deaNumberProblem } from './dea-number.js';
import { CsDiscrepancy } from './discrepancy.entity.js';
import { CsDisposal } from './disposal.entity.js';
import { disposalView, type DisposalView } from './disposal-view.js';
import { appendEvent, chartedAt, containerLabel, lockContainer } from './ledger-book.js';
import { qty } from './quantities.js';
import { CsProduct } from './registry.entity.js';
import { CsContainer } from './stock.entity.js';
import type { DisposalKind } from './vocabulary.js';

/** Who may witness a destruction or a handover: any employee of the clinic (Form 41 asks for two "authorized employees"). */
const WITNESSES = ['nurse', 'anesthesiologist', 'admin'] as const;

interface DisposalBase {
  /** The containers closed out; each loses all that is left in it. */
  containerIds: string[];
  reason: string;
  occurredAt?: Date;
  /** Two employees other than you, each re-entering their own password. */
  witnesses: WitnessSignature[];
}

export interface DestructionInput extends DisposalBase {
  method: string;
  location: string;
}

export interface TransferInput extends DisposalBase {
  distributorName: string;
  distributorAddress: string;
  distributorDeaNumber: string;
  reference?: string | null;
}

type Facts = Pick<CsDisposal, 'method' | 'location' | 'distributorName' | 'distributorAddress' | 'distributorDeaNumber' | 'reference'>;

const rule = (code: string, message: string): RuleProblem => ({ code, message, overridable: false });

/**
 * Destruction of stock on site (the DEA Form 41 record) and transfer to a reverse distributor
 * (anesthesiologists), each handled or observed by two employees who sign with their own passwords
 * (21 CFR 1317.95(a), (d)). Every container named is closed out in one transaction: all that is left
 * leaves it by a `destroy` or `transfer` event, and nothing is drawn, wasted or counted from it again.
 */
@Injectable()
export class LedgerDisposalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly witnesses: WitnessVerifier,
  ) {}

  destroy(actor: Actor, input: DestructionInput): Promise<DisposalView> {
    return this.dispose(actor, 'destruction', input, {
      method: input.method.trim(),
      location: input.location.trim(),
      distributorName: null,
      distributorAddress: null,
      distributorDeaNumber: null,
      reference: null,
    });
  }

  transfer(actor: Actor, input: TransferInput): Promise<DisposalView> {
    const problem = deaNumberProblem(input.distributorDeaNumber);
    if (problem) throw DomainError.validation([{ field: 'distributorDeaNumber', message: problem }]);
    return this.dispose(actor, 'transfer', input, {
      method: null,
      location: null,
      distributorName: input.distributorName.trim(),
      distributorAddress: input.distributorAddress.trim(),
      distributorDeaNumber: input.distributorDeaNumber,
      reference: input.reference?.trim() || null,
    });
  }

  async list(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<DisposalView>> {
    const q = this.dataSource.createQueryBuilder(CsDisposal, 'd').where('d.clinic_id = :clinicId', { clinicId: actor.clinicId });
    const rows = await keysetPage(q, {
      sortColumn: 'd.occurred_at',
      idColumn: 'd.id',
      order: 'DESC',
      limit: page.limit,
      cursor: page.cursor,
      key: (d) => ({ at: d.occurredAt, id: d.id }),
      view: (d) => d,
    });
    const items: DisposalView[] = [];
    for (const d of rows.items) items.push(await disposalView(this.dataSource.manager, d));
    return { items, nextCursor: rows.nextCursor };
  }

  async get(actor: Actor, id: string): Promise<DisposalView> {
    const d = await findInClinicOr404(this.dataSource.manager, CsDisposal, actor.clinicId, { id }, 'Disposal');
    return disposalView(this.dataSource.manager, d);
  }

  private async dispose(actor: Actor, kind: DisposalKind, input: DisposalBase, facts: Facts): Promise<DisposalView> {
    if (new Set(input.containerIds).size !== input.containerIds.length)
      throw DomainError.validation([{ field: 'containerIds', message: 'a container is named twice' }]);
    const [first, second] = await this.signatures(actor, input.witnesses, kind);
    const now = this.clock.now();
    const at = chartedAt(input.occurredAt, now);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const containers = await this.lockAll(m, actor, input.containerIds);
      const registrationId = containers[0].registrationId;
      if (containers.some((c) => c.registrationId !== registrationId))
        throw DomainError.validation([
          { field: 'containerIds', message: 'the containers belong to two DEA registrations: one record per registration' },
        ]);
      const problems: RuleProblem[] = [];
      for (const c of containers) problems.push(...disposalProblems({ label: containerLabel(c), ...c }, await openDiscrepancy(m, c.id)));
      if (problems.length) throw DomainError.firstRuleUnmet(`The stock cannot be ${disposed(kind)}`, problems);
      const d = m.create(CsDisposal, {
        clinicId: actor.clinicId,
        registrationId,
        kind,
        occurredAt: at,
        actorUserId: actor.userId,
        witness1UserId: first,
        witness2UserId: second,
        reason: input.reason.trim(),
        ...facts,
      });
      await m.insert(CsDisposal, d);
      const closed: Array<{ containerId: string; quantity: number; unit: string }> = [];
      for (const c of containers) {
        const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
        const quantity = c.balance;
        const fullPackage = c.openedAt === null && quantity === product.unitsPerContainer;
        await appendEvent(m, c, product, {
          kind: kind === 'destruction' ? 'destroy' : 'transfer',
          occurredAt: at,
          actorUserId: actor.userId,
          witnessUserId: first,
          quantity,
          quantityMg: qty(quantity * product.mgPerUnit),
          delta: -quantity,
          disposalId: d.id,
          reason: d.reason,
          data: { fullPackage, secondWitnessUserId: second },
        });
        const status = kind === 'destruction' ? 'destroyed' : 'transferred';
        await m.update(CsContainer, { id: c.id }, { status, statusReason: d.reason });
        closed.push({ containerId: c.id, quantity, unit: product.unit });
      }
      await this.audit.record(tx, {
        action: kind === 'destruction' ? 'ledger.destroy' : 'ledger.transfer',
        resourceType: 'cs_disposal',
        resourceId: d.id,
        changes: { occurredAt: at.toISOString(), reason: d.reason, ...facts, witnesses: [first, second], containers: closed },
      });
      return disposalView(m, await m.findOneByOrFail(CsDisposal, { id: d.id }));
    });
  }

  /**
   * Two employees other than the actor and other than each other, each verified by their password
   * (422 CS_TWO_WITNESSES_REQUIRED, CS_WITNESSES_SAME, WITNESS_IS_ACTOR, WITNESS_NOT_VERIFIED),
   * all checked before a password is tried.
   */
  private async signatures(actor: Actor, signatures: WitnessSignature[], kind: DisposalKind): Promise<[string, string]> {
    const what = kind === 'destruction' ? 'controlled-substance destruction' : 'controlled-substance transfer to a reverse distributor';
    if (signatures.length < 2)
      throw DomainError.firstRuleUnmet('Two witnesses sign', [
        rule('CS_TWO_WITNESSES_REQUIRED', `two employees must witness the stock ${disposed(kind)}, each with their own password`),
      ]);
    if (signatures[0].userId === signatures[1].userId)
      throw DomainError.firstRuleUnmet('Two witnesses sign', [rule('CS_WITNESSES_SAME', 'the two witnesses must be two different people')]);
    if (signatures.some((s) => s.userId === actor.userId))
      throw DomainError.firstRuleUnmet('The witness must be someone other than you', [
        rule('WITNESS_IS_ACTOR', 'The witness must be someone other than you'),
      ]);
    const first = await this.witnesses.verify(actor, signatures[0], WITNESSES, what);
    const second = await this.witnesses.verify(actor, signatures[1], WITNESSES, what);
    return [first.userId, second.userId];
  }

  /** The containers named, locked in a fixed order (two disposals naming the same ones cannot deadlock); 400 naming `containerIds` for one not of the clinic. */
  private async lockAll(m: EntityManager, actor: Actor, ids: string[]): Promise<CsContainer[]> {
    const locked: CsContainer[] = [];
    for (const id of [...ids].sort()) {
      locked.push(
        await lockContainer(m, actor.clinicId, id).catch((err: unknown) => {
          if (err instanceof DomainError && err.status === 404)
            throw DomainError.validation([{ field: 'containerIds', message: 'one of them is no container of your clinic' }]);
          throw err;
        }),
      );
    }
    return locked;
  }
}

const disposed = (kind: DisposalKind) => (kind === 'destruction' ? 'destroyed' : 'transferred');

/** The open discrepancy a count found on the container, if any. */
async function openDiscrepancy(m: EntityManager, containerId: string): Promise<string | null> {
  const d = await m.findOne(CsDiscrepancy, { where: { containerId, status: 'open' }, select: { id: true } });
  return d?.id ?? null;
}
