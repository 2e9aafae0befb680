import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  PendingWorkService,
  TransactionRunner,
  WitnessVerifier,
  type Actor,
  type RuleProblem,
  type Tx,
  type WitnessSignature,
} from '#platform';
import { ClinicSettingsService } from '../settings/index.js';
import { balanceProblem, containerProblems } from './container-rules.js';
import { CsEvent } from './cs-event.entity.js';
import { openDiscrepancy } from './discrepancies.js';
import { appendEvent, chartedAt, clinicDate, containerLabel, lockContainer } from './ledger-book.js';
import { qty } from './quantities.js';
import { countMethod, varianceTolerated } from './tolerance.js';
import { CsProduct, CsRegistration } from './registry.entity.js';
import type { CsContainer } from './stock.entity.js';
import { eventView, type LedgerEventView } from './views.js';

/** Who may witness a waste or a count: clinical staff present at the cabinet. */
const WITNESSES = ['nurse', 'anesthesiologist'] as const;

interface Witnessed {
  containerId: string;
  unit: 'mL' | 'device';
  witness: WitnessSignature;
  occurredAt?: Date;
}

export interface WasteInput extends Witnessed {
  /** The session whose dose was drawn but not all given; absent for a spill or breakage from the container itself. */
  sessionId?: string;
  quantity: number;
  reason: string;
}

export interface CountInput extends Witnessed {
  counted: number;
}

export interface CountResult {
  event: LedgerEventView;
  /** What the ledger expected: shown once the count is recorded. */
  expected: number;
  variance: number;
  discrepancyId: string | null;
}

const rule = (code: string, message: string, extra: Record<string, unknown> = {}): RuleProblem => ({
  code,
  message,
  overridable: false,
  ...extra,
});

/**
 * Waste and blind counts (nurses and anesthesiologists), each signed by a witness who re-enters their
 * own password in the same request, checked before anything is written.
 */
@Injectable()
export class LedgerWasteCountService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly witnesses: WitnessVerifier,
    private readonly pendingWork: PendingWorkService,
    private readonly settings: ClinicSettingsService,
  ) {}

  /**
   * Waste: the part of a session's dose drawn but not given (it left the container with the draw, so
   * the balance does not move), or a spill or breakage from the container itself (the balance does).
   * Not a destruction of stock: no DEA Form 41 (79 FR 53521).
   */
  async waste(actor: Actor, input: WasteInput): Promise<LedgerEventView> {
    const witness = await this.witnesses.verify(actor, input.witness, WITNESSES, 'controlled-substance waste');
    const now = this.clock.now();
    const at = chartedAt(input.occurredAt, now);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const { c, product } = await this.container(m, actor, input);
      const base = {
        kind: 'waste' as const,
        occurredAt: at,
        actorUserId: actor.userId,
        witnessUserId: witness.userId,
        quantity: input.quantity,
      };
      const event = input.sessionId
        ? await appendEvent(m, c, product, {
            ...base,
            ...(await this.leftover(m, c, product, input.sessionId, input.quantity)),
            reason: input.reason.trim(),
          })
        : await this.fromContainer(m, c, product, base, input.reason.trim(), now);
      await this.audit.record(tx, {
        action: 'ledger.waste',
        resourceType: 'cs_container',
        resourceId: c.id,
        changes: {
          eventId: event.id,
          sessionId: input.sessionId ?? null,
          quantity: input.quantity,
          unit: product.unit,
          witnessUserId: witness.userId,
          reason: input.reason,
        },
      });
      return eventView(event);
    });
  }

  /**
   * A blind count: what was counted, then what the ledger expected. A variance opens a discrepancy,
   * unless it is an estimated measure of an opened vial within the clinic's tolerance (default 0).
   */
  async count(actor: Actor, input: CountInput): Promise<CountResult> {
    const witness = await this.witnesses.verify(actor, input.witness, WITNESSES, 'controlled-substance count');
    const now = this.clock.now();
    const at = chartedAt(input.occurredAt, now);
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const { c, product } = await this.container(m, actor, input);
      if (c.status === 'destroyed' || c.status === 'transferred')
        throw DomainError.firstRuleUnmet('Nothing to count', [rule('CS_CONTAINER_CLOSED', `${containerLabel(c)} was ${c.status}`)]);
      const expected = c.balance;
      const variance = qty(input.counted - expected);
      const method = countMethod(c.openedAt === null, product.unit);
      const { csEstimateToleranceMl } = await this.settings.forClinic(actor.clinicId, m);
      const event = await appendEvent(m, c, product, {
        kind: 'count',
        occurredAt: at,
        actorUserId: actor.userId,
        witnessUserId: witness.userId,
        quantity: input.counted,
        quantityMg: qty(input.counted * product.mgPerUnit),
        delta: 0,
        data: { expected, variance, method },
      });
      const discrepancy = varianceTolerated(method, product.unit, variance, csEstimateToleranceMl)
        ? null
        : await this.variance(tx, actor, c, product, event, expected, input.counted, now);
      await this.audit.record(tx, {
        action: 'ledger.count',
        resourceType: 'cs_container',
        resourceId: c.id,
        changes: {
          eventId: event.id,
          counted: input.counted,
          expected,
          variance,
          unit: product.unit,
          witnessUserId: witness.userId,
          discrepancyId: discrepancy,
        },
      });
      return { event: eventView(event), expected, variance, discrepancyId: discrepancy };
    });
  }

  private async variance(tx: Tx, actor: Actor, c: CsContainer, p: CsProduct, e: CsEvent, expected: number, found: number, at: Date) {
    const d = await openDiscrepancy(
      tx,
      { pendingWork: this.pendingWork, settings: this.settings },
      {
        clinicId: c.clinicId,
        registrationId: c.registrationId,
        kind: 'count-variance',
        containerId: c.id,
        eventId: e.id,
        expected,
        found,
        unit: p.unit,
        openedBy: actor.userId,
        at,
      },
    );
    return d.id;
  }

  /** The container named in the body (400 naming `containerId` when it is none of the clinic's), locked; the unit sent must be its own. */
  private async container(m: EntityManager, actor: Actor, input: Witnessed): Promise<{ c: CsContainer; product: CsProduct }> {
    const c = await lockContainer(m, actor.clinicId, input.containerId).catch((err: unknown) => {
      if (err instanceof DomainError && err.status === 404)
        throw DomainError.validation([{ field: 'containerId', message: 'no container of your clinic has this id' }]);
      throw err;
    });
    const product = await m.findOneByOrFail(CsProduct, { id: c.productId });
    if (product.unit !== input.unit)
      throw DomainError.validation([{ field: 'unit', message: `${containerLabel(c)} is counted in ${product.unit}` }]);
    return { c, product };
  }

  /** What a session's waste records: its patient and session; refused beyond what was drawn from this container and not given. */
  private async leftover(m: EntityManager, c: CsContainer, p: CsProduct, sessionId: string, quantity: number) {
    const events = await m.find(CsEvent, { where: { sessionId, containerId: c.id } });
    const draw = events.find((e) => e.kind === 'administer');
    const reconciled = events.find((e) => e.kind === 'reconcile');
    const label = containerLabel(c);
    if (!draw)
      throw DomainError.firstRuleUnmet('Nothing to waste', [rule('CS_NOT_DRAWN', `this session's dose was not drawn from ${label}`)]);
    if (!reconciled)
      throw DomainError.firstRuleUnmet('Nothing to waste yet', [
        rule('CS_SESSION_NOT_RECONCILED', 'the dose given is known at the end of dosing: waste what is left then'),
      ]);
    const wasted = events.filter((e) => e.kind === 'waste').reduce((s, e) => s + e.quantity, 0);
    const left = qty(Number(reconciled.data?.['leftover'] ?? 0) - wasted);
    if (quantity > left + 1e-9)
      throw DomainError.firstRuleUnmet('More than is left', [
        rule('CS_WASTE_EXCEEDS_LEFTOVER', `${left} ${p.unit} of this session's dose is left to waste, not ${quantity}`, {
          left,
          unit: p.unit,
        }),
      ]);
    return { delta: 0, quantityMg: qty(quantity * p.mgPerUnit), patientId: draw.patientId, sessionId };
  }

  /** A spill or breakage from the container: never from expired, quarantined or closed stock (that is destroyed or returned). */
  private async fromContainer(
    m: EntityManager,
    c: CsContainer,
    p: CsProduct,
    base: { kind: 'waste'; occurredAt: Date; actorUserId: string; witnessUserId: string; quantity: number },
    reason: string,
    now: Date,
  ): Promise<CsEvent> {
    const registration = await m.findOneByOrFail(CsRegistration, { id: c.registrationId });
    const label = containerLabel(c);
    const problems = containerProblems(
      { label, status: c.status, balance: c.balance, unit: p.unit, expiresOn: c.expiresOn, registrationExpiresOn: registration.expiresOn },
      await clinicDate(m, c.clinicId, now),
    ).filter((x) => x.code !== 'CS_REGISTRATION_EXPIRED');
    const short = problems.length ? null : balanceProblem({ label, balance: c.balance, unit: p.unit }, base.quantity);
    if (problems.length || short) throw DomainError.firstRuleUnmet(`Nothing can be wasted from ${label}`, short ? [short] : problems);
    return appendEvent(m, c, p, { ...base, quantityMg: qty(base.quantity * p.mgPerUnit), delta: -base.quantity, reason });
  }
}
