import { JobName, type PendingWorkService, type Tx } from '#platform';
import type { ClinicSettingsService } from '../settings/index.js';
import { CsDiscrepancy, type DiscrepancyKind } from './discrepancy.entity.js';

/**
 * How long a discrepancy may stay open is the clinic's `csDiscrepancyResolveHours` (CLINIC: 24, at
 * most 24): within the day it is found, as cabinet practice resolves count discrepancies before the
 * shift ends; one still open then is a candidate for the loss-or-theft report, whose written notice
 * is due by the end of the next business day.
 */
export interface DiscrepancyDeps {
  pendingWork: PendingWorkService;
  settings: ClinicSettingsService;
}

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
 * Opens a discrepancy in the caller's transaction, due for resolution the clinic's
 * `csDiscrepancyResolveHours` from `at` (the window as it stands when the discrepancy is found); one
 * still open then is escalated (a pending-work row, so a lost queue loses no escalation).
 */
export async function openDiscrepancy(tx: Tx, deps: DiscrepancyDeps, d: NewDiscrepancy): Promise<CsDiscrepancy> {
  const { at, ...fields } = d;
  const m = tx.manager;
  const { csDiscrepancyResolveHours } = await deps.settings.forClinic(d.clinicId, m);
  const saved = await m.save(
    m.create(CsDiscrepancy, {
      ...fields,
      containerId: d.containerId ?? null,
      receiptId: d.receiptId ?? null,
      eventId: d.eventId ?? null,
      status: 'open',
      openedAt: at,
      dueAt: new Date(at.getTime() + csDiscrepancyResolveHours * 3_600_000),
    }),
  );
  await deps.pendingWork.schedule(tx, {
    kind: JobName.LedgerDiscrepancyOverdue,
    subjectId: saved.id,
    dueAt: saved.dueAt,
    clinicId: saved.clinicId,
  });
  return saved;
}
