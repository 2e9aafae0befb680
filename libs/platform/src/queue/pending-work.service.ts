import { Injectable } from '@nestjs/common';
import { requestContext } from '../context/request-context.js';
import type { Tx } from '../database/transaction.js';
import { PENDING_WORK_KINDS, pendingWorkJobId, type JobName, type PendingWorkKind } from './job-names.js';
import { JobQueue } from './job-queue.service.js';
import { PendingWork } from './pending-work.entity.js';

export interface ScheduleWork {
  kind: PendingWorkKind;
  subjectId: string;
  dueAt: Date;
  clinicId?: string | null;
}

/**
 * Writes future work as a row in the caller's transaction and, once it commits, adds the job that
 * triggers it. One pending row per (kind, subject): scheduling again moves the due time.
 */
@Injectable()
export class PendingWorkService {
  constructor(private readonly jobs: JobQueue) {}

  async schedule(tx: Tx, work: ScheduleWork): Promise<string> {
    if (!PENDING_WORK_KINDS.has(work.kind)) throw new Error(`${work.kind} is not a pending-work kind`);
    const rows: Array<{ id: string }> = await tx.manager.query(
      `INSERT INTO pending_work (clinic_id, kind, subject_id, due_at, request_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, subject_id) WHERE status = 'pending'
       DO UPDATE SET due_at = EXCLUDED.due_at
       RETURNING id`,
      [work.clinicId ?? null, work.kind, work.subjectId, work.dueAt, requestContext.requestId() ?? null],
    );
    const id = rows[0].id;
    tx.afterCommit(() =>
      this.jobs.add(work.kind, { workId: id }, { jobId: pendingWorkJobId(work.kind, id, work.dueAt), runAt: work.dueAt }),
    );
    return id;
  }

  /** Cancels the pending work of this kind for this subject; a job already queued finds it cancelled. */
  async cancel(tx: Tx, kind: PendingWorkKind | JobName, subjectId: string): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .update(PendingWork)
      .set({ status: 'cancelled', completedAt: () => 'now()' })
      .where('kind = :kind AND subject_id = :subjectId AND status = :pending', { kind, subjectId, pending: 'pending' })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
