import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VigilConfig } from '../config/vigil-config.js';
import { JobHandler } from './job-handler.decorator.js';
import { JOB_QUEUE, JobName, pendingWorkJobId, type PendingWorkKind } from './job-names.js';
import { JobQueue } from './job-queue.service.js';

const SWEEP_BATCH = 5000;
export const SWEEPER_SCHEDULER_ID = 'sweep-pending-work';

/**
 * Heals what the queue lost. Every pending row due within the look-ahead window gets its job
 * added again with its deterministic id: a job still in the queue makes the add a no-op, a job
 * that a Redis flush or restart lost is recreated. Runs as a repeatable job and once at start-up;
 * the worker also re-registers the repeatable job each interval, since a flush removes it too.
 */
@Injectable()
export class PendingWorkSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweeper');
  private keeper?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly config: VigilConfig,
  ) {}

  private get intervalMs(): number {
    return this.config.SWEEPER_INTERVAL_SEC * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureScheduled();
    await this.sweep();
    this.keeper = setInterval(() => {
      this.ensureScheduled().catch((err: Error) => this.logger.warn(`could not re-register the sweeper: ${err.message}`));
    }, this.intervalMs);
    this.keeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.keeper) clearInterval(this.keeper);
  }

  async ensureScheduled(): Promise<void> {
    await this.jobs
      .queue(JOB_QUEUE[JobName.SweepPendingWork])
      .upsertJobScheduler(
        SWEEPER_SCHEDULER_ID,
        { every: this.intervalMs },
        { name: JobName.SweepPendingWork, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
      );
  }

  @JobHandler(JobName.SweepPendingWork)
  async sweep(): Promise<number> {
    // Look ahead two intervals so a job is in the queue before its row comes due.
    const rows: Array<{ id: string; kind: PendingWorkKind; due_at: Date; attempts: number; request_id: string | null }> =
      await this.dataSource.query(
        `SELECT id, kind, due_at, attempts, request_id FROM pending_work
        WHERE status = 'pending' AND due_at <= now() + make_interval(secs => $1)
        ORDER BY due_at LIMIT $2`,
        [(2 * this.intervalMs) / 1000, SWEEP_BATCH],
      );
    if (rows.length === 0) return 0;
    await this.jobs.addBulk(
      rows.map((r) => ({
        name: r.kind,
        payload: { workId: r.id, requestId: r.request_id ?? undefined },
        jobId: pendingWorkJobId(r.kind, r.id, r.due_at, r.attempts),
        runAt: r.due_at,
      })),
    );
    this.logger.debug(`re-enqueued ${rows.length} pending row(s)`);
    return rows.length;
  }
}
