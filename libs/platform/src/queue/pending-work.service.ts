import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
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
  /** The request that scheduled it, when not the one in context (work of several requests stored together). */
  requestId?: string | null;
}

/**
 * Writes future work as a row in the caller's transaction and, once it commits, adds the job that
 * triggers it. One pending row per (kind, subject): scheduling again moves the due time.
 *
 * Work due beyond the sweeper's look-ahead (two sweep intervals) gets no job now: the sweeper adds
 * it from the row before it comes due. Work that is rescheduled on every reading (vitals overdue)
 * then costs no Redis round trip per request and leaves no stale delayed jobs behind.
 */
@Injectable()
export class PendingWorkService {
  constructor(
    private readonly jobs: JobQueue,
    private readonly config: VigilConfig,
    private readonly clock: Clock,
  ) {}

  async schedule(tx: Tx, work: ScheduleWork): Promise<string> {
    const [id] = await this.scheduleMany(tx, [work]);
    return id;
  }

  /** Several pending rows in one statement (at most one per kind and subject); returns their ids in order. */
  async scheduleMany(tx: Tx, works: ScheduleWork[]): Promise<string[]> {
    if (works.length === 0) return [];
    for (const w of works) if (!PENDING_WORK_KINDS.has(w.kind)) throw new Error(`${w.kind} is not a pending-work kind`);
    const requestId = requestContext.requestId() ?? null;
    const requestIds = works.map((w) => (w.requestId === undefined ? requestId : w.requestId));
    const rows: Array<{ id: string; kind: string; subject_id: string }> = await tx.manager.query(
      `INSERT INTO pending_work (clinic_id, kind, subject_id, due_at, request_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[])
       ON CONFLICT (kind, subject_id) WHERE status = 'pending'
       DO UPDATE SET due_at = EXCLUDED.due_at
       RETURNING id, kind, subject_id`,
      [
        works.map((w) => w.clinicId ?? null),
        works.map((w) => w.kind),
        works.map((w) => w.subjectId),
        works.map((w) => w.dueAt),
        requestIds,
      ],
    );
    const idOf = new Map(rows.map((r) => [`${r.kind} ${r.subject_id}`, r.id]));
    const ids = works.map((w) => idOf.get(`${w.kind} ${w.subjectId}`)!);
    const horizon = this.clock.now().getTime() + 2 * this.config.SWEEPER_INTERVAL_SEC * 1000;
    const soon = works.flatMap((w, i) => (w.dueAt.getTime() <= horizon ? [{ w, id: ids[i], requestId: requestIds[i] }] : []));
    if (soon.length)
      tx.afterCommit(() =>
        this.jobs.addBulk(
          soon.map(({ w, id, requestId: rid }) => ({
            name: w.kind,
            payload: { workId: id, requestId: rid ?? undefined },
            jobId: pendingWorkJobId(w.kind, id, w.dueAt),
            runAt: w.dueAt,
          })),
        ),
      );
    return ids;
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
