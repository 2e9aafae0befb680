/** Queues by purpose (architecture.md). */
export enum QueueName {
  Alerts = 'alerts',
  FollowUps = 'follow-ups',
  Notifications = 'notifications',
  Maintenance = 'maintenance',
}

/**
 * Every job Vigil runs. A name here without exactly one @JobHandler stops the worker at start-up.
 * Names of pending-work kinds double as `pending_work.kind`.
 */
export enum JobName {
  SweepPendingWork = 'sweep-pending-work',
  ExpireRefreshToken = 'expire-refresh-token',
}

/** Payload of a job that triggers a pending-work row: ids only, the row is the record. */
export interface PendingWorkJob {
  workId: string;
  requestId?: string;
}

export interface JobPayloads {
  [JobName.SweepPendingWork]: { requestId?: string };
  [JobName.ExpireRefreshToken]: PendingWorkJob;
}

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  [JobName.SweepPendingWork]: QueueName.Maintenance,
  [JobName.ExpireRefreshToken]: QueueName.Maintenance,
};

/** Job names that carry out a `pending_work` row; each has the payload PendingWorkJob. */
export type PendingWorkKind = JobName.ExpireRefreshToken;
export const PENDING_WORK_KINDS: ReadonlySet<JobName> = new Set<PendingWorkKind>([JobName.ExpireRefreshToken]);

/** Attempts one job makes (with exponential backoff) before it is kept as failed. */
export const JOB_ATTEMPTS = 8;

/**
 * The job id of a pending row: `<kind>-<uuid>-<due ms>-<round>` (BullMQ refuses `:` in ids).
 * Adding it again is a no-op. Moving the due time gives a new id, and the job left at the old time
 * finds the row not yet due (or done) and does nothing. `round` counts exhausted retry series:
 * once a job has failed JOB_ATTEMPTS times it stays failed on the board, and the sweeper's next add
 * is a new job, so work that keeps failing is retried, visibly, and never silently dropped.
 */
export function pendingWorkJobId(kind: JobName | string, workId: string, dueAt: Date, attempts = 0): string {
  return `${kind}-${workId}-${dueAt.getTime()}-${Math.floor(attempts / JOB_ATTEMPTS)}`;
}
