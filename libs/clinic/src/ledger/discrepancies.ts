import { JobName, type PendingWorkService, type Tx } from '#platform';
import { CsDiscrepancy, type DiscrepancyKind } from './discrepancy.entity.js';

/**
 * How long a discrepancy may stay open (CLINIC default): within the day it is found, as cabinet
 * practice resolves count discrepancies before the shift ends; one still open after 24 hours is a
 * candidate for the loss-or-theft report, whose written notice is due the next business day.
 */
export const RESOLVE_WITHIN_HOURS = 24;

export interface NewDiscrepancy {
  clinicId: string;
  registrationId: string;
  kind: DiscrepancyKind;
  containerId?: string | null;
  receiptId?: string | null;
  eventId?: string | null;
  expected: number;
  found: number;
  unit: CsDiscrepancy['unit'];
  openedBy: string;
  at: Date;
}

/**
 * Opens a discrepancy in the caller's transaction, due for resolution RESOLVE_WITHIN_HOURS from `at`;
 * one still open then is escalated (a pending-work row, so a lost queue loses no escalation).
 */
export async function openDiscrepancy(tx: Tx, pendingWork: PendingWorkService, d: NewDiscrepancy): Promise<CsDiscrepancy> {
  const { at, ...fields } = d;
  const m = tx.manager;
  const saved = await m.save(
    m.create(CsDiscrepancy, {
      ...fields,
      containerId: d.containerId ?? null,
      receiptId: d.receiptId ?? null,
      eventId: d.eventId ?? null,
      status: 'open',
      openedAt: at,
      dueAt: new Date(at.getTime() + RESOLVE_WITHIN_HOURS * 3_600_000),
    }),
  );
  await pendingWork.schedule(tx, {
    kind: JobName.LedgerDiscrepancyOverdue,
    subjectId: saved.id,
    dueAt: saved.dueAt,
    clinicId: saved.clinicId,
  });
  return saved;
}
