import type { EntityManager } from 'typeorm';
import { Clinic, DomainError, findInClinicOr404, localDate, requestContext } from '#platform';
import { balanceProblem } from './container-rules.js';
import { CsEvent, type CsEventKind } from './cs-event.entity.js';
import { qty } from './quantities.js';
import type { CsProduct } from './registry.entity.js';
import { CsContainer, type ContainerStatus } from './stock.entity.js';

/** An event to append to a container's ledger; its balance moves by `delta`. */
export interface NewEvent {
  kind: CsEventKind;
  occurredAt: Date;
  actorUserId: string;
  witnessUserId?: string | null;
  quantity: number;
  quantityMg?: number | null;
  delta: number;
  patientId?: string | null;
  sessionId?: string | null;
  receiptId?: string | null;
  correctsEventId?: string | null;
  disposalId?: string | null;
  inventoryId?: string | null;
  reason?: string | null;
  data?: Record<string, unknown> | null;
}

/** How far back a witnessed act (waste, count, destruction, inventory) may be charted. */
export const LATE_ENTRY_MAX_MIN = 60;

/** When a witnessed act happened: now, or up to LATE_ENTRY_MAX_MIN ago (400 naming `occurredAt` otherwise). */
export function chartedAt(occurredAt: Date | undefined, now: Date): Date {
  const at = occurredAt ?? now;
  if (at.getTime() > now.getTime() + 1000) throw DomainError.validation([{ field: 'occurredAt', message: 'in the future' }]);
  if (at.getTime() < now.getTime() - LATE_ENTRY_MAX_MIN * 60_000)
    throw DomainError.validation([{ field: 'occurredAt', message: `more than ${LATE_ENTRY_MAX_MIN} minutes ago` }]);
  return at;
}

/** The human label of a container: its lot and its number within the receipt. */
export const containerLabel = (c: Pick<CsContainer, 'lot' | 'seq'>): string => `${c.lot}/${c.seq}`;

/** The clinic's local date at `at` (expiry dates are the clinic's calendar days). */
export async function clinicDate(m: EntityManager, clinicId: string, at: Date): Promise<string> {
  const clinic = await m.findOneByOrFail(Clinic, { id: clinicId });
  return localDate(at, clinic.timeZone);
}

/** The clinic's container, locked until the transaction ends: concurrent draws from it queue here (404 otherwise). */
export function lockContainer(m: EntityManager, clinicId: string, id: string): Promise<CsContainer> {
  return findInClinicOr404(m, CsContainer, clinicId, { id }, 'Container', { lock: true });
}

/** Where a container's status goes when its balance moves. */
function statusAfter(c: CsContainer, delta: number, after: number): ContainerStatus {
  if (c.status === 'quarantined' || c.status === 'destroyed' || c.status === 'transferred') return c.status;
  if (after <= 0) return 'empty';
  if (delta < 0 || c.status === 'empty') return 'open';
  return c.status;
}

/**
 * Appends an event to a container locked by the caller and moves its balance by `delta`, in the
 * caller's transaction. A balance that would go below zero is refused (422 CS_BALANCE_NEGATIVE)
 * before anything is written; the CHECK constraints on both tables refuse it again.
 */
export async function appendEvent(m: EntityManager, c: CsContainer, product: CsProduct, e: NewEvent): Promise<CsEvent> {
  const after = qty(c.balance + e.delta);
  const refused = e.delta < 0 ? balanceProblem({ label: containerLabel(c), balance: c.balance, unit: product.unit }, -e.delta) : null;
  if (refused) throw DomainError.firstRuleUnmet(`Not enough in ${containerLabel(c)}`, [refused]);
  const event = await m.save(
    m.create(CsEvent, {
      clinicId: c.clinicId,
      registrationId: c.registrationId,
      containerId: c.id,
      kind: e.kind,
      occurredAt: e.occurredAt,
      actorUserId: e.actorUserId,
      witnessUserId: e.witnessUserId ?? null,
      quantity: qty(e.quantity),
      unit: product.unit,
      quantityMg: e.quantityMg ?? null,
      delta: qty(e.delta),
      balanceAfter: after,
      patientId: e.patientId ?? null,
      sessionId: e.sessionId ?? null,
      receiptId: e.receiptId ?? null,
      correctsEventId: e.correctsEventId ?? null,
      disposalId: e.disposalId ?? null,
      inventoryId: e.inventoryId ?? null,
      reason: e.reason ?? null,
      data: e.data ?? null,
      requestId: requestContext.requestId() ?? null,
    }),
  );
  const status = statusAfter(c, e.delta, after);
  const openedAt = c.openedAt ?? (e.delta < 0 ? e.occurredAt : null);
  if (after !== c.balance || status !== c.status || openedAt !== c.openedAt) {
    await m.update(CsContainer, { id: c.id }, { balance: after, status, openedAt });
    Object.assign(c, { balance: after, status, openedAt });
  }
  return event;
}
