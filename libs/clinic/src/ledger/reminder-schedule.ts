import { In, IsNull } from 'typeorm';
import { JobName, type PendingWorkService, type Tx } from '#platform';
import { CsReminder } from './inventory.entity.js';
import type { Milestone } from './reminders.js';

/**
 * Replaces a registration's pending reminders of the milestones' kinds with the milestones, in the
 * caller's transaction: the new rows and their pending work (they survive a Redis flush), the old
 * ones' work cancelled (their handler would find them stale anyway).
 */
export async function scheduleReminders(
  tx: Tx,
  pendingWork: PendingWorkService,
  target: { clinicId: string; registrationId: string; basis: string },
  milestones: Milestone[],
): Promise<CsReminder[]> {
  const m = tx.manager;
  const stale = await m.findBy(CsReminder, {
    registrationId: target.registrationId,
    kind: In(milestones.map((x) => x.kind)),
    sentAt: IsNull(),
  });
  for (const r of stale) await pendingWork.cancel(tx, JobName.LedgerReminder, r.id);
  const rows = await m.save(milestones.map((x) => m.create(CsReminder, { ...target, ...x })));
  await pendingWork.scheduleMany(
    tx,
    rows.map((r) => ({ kind: JobName.LedgerReminder, subjectId: r.id, dueAt: r.dueAt, clinicId: r.clinicId })),
  );
  return rows;
}
