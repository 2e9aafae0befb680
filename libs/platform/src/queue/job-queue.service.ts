import { Inject, Injectable, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { requestContext } from '../context/request-context.js';
import { JOB_ATTEMPTS, JOB_QUEUE, JobName, QueueName, type JobPayloads } from './job-names.js';

export interface EnqueueOptions {
  /** Deterministic id: adding the same id twice is harmless. */
  jobId: string;
  /** Run no earlier than this. */
  runAt?: Date;
}

/**
 * Retry delays double from 1 s up to 10 s: plain exponential backoff reached 64 and 128 s, so a
 * message waited up to two minutes after its SMTP server was back. Workers name it in their settings.
 */
export const CAPPED_BACKOFF = 'capped-exponential';
export const RETRY_DELAY_CAP_MS = 10_000;
export function cappedBackoff(attemptsMade: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), RETRY_DELAY_CAP_MS);
}

/** Retries with capped exponential backoff; completed jobs go, failed ones stay visible on the board. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: CAPPED_BACKOFF },
  removeOnComplete: true,
  removeOnFail: { count: 5000 },
};

export const QUEUE_HANDLES = Symbol('QUEUE_HANDLES');
const QUEUE_ERROR_LOG_INTERVAL_MS = 10_000;

export function queueHandlesProvider() {
  return {
    provide: QUEUE_HANDLES,
    inject: Object.values(QueueName).map((name) => getQueueToken(name)),
    useFactory: (...queues: Queue[]) => new Map(queues.map((q) => [q.name as QueueName, q])),
  };
}

/** The one way Vigil adds jobs: typed name and payload, deterministic id, after commit. */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger('JobQueue');

  constructor(@Inject(QUEUE_HANDLES) private readonly queues: Map<QueueName, Queue>) {
    // Without a listener BullMQ prints every reconnection failure to the console; once a queue is
    // unreachable, say so once per interval in the log (jobs wait in PostgreSQL; the sweeper re-adds them).
    let lastWarnedAt = 0;
    for (const queue of queues.values()) {
      queue.on('error', (err: Error) => {
        if (Date.now() - lastWarnedAt < QUEUE_ERROR_LOG_INTERVAL_MS) return;
        lastWarnedAt = Date.now();
        this.logger.warn(`queue backend unreachable (${err.message}); work stays in PostgreSQL until it is back`);
      });
    }
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not registered`);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Waits until every queue's backend answers (and, on PostgreSQL, has its schema). */
  async ready(): Promise<void> {
    await Promise.all(this.all().map((q) => q.waitUntilReady()));
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<void> {
    await this.addBulk([{ name, payload, ...opts }]);
  }

  /**
   * Adds jobs, one round trip per queue; existing ids are left as they are. Each payload carries
   * the request id of the work that caused it, so the job's logs and audit rows can be traced.
   */
  async addBulk<N extends JobName>(jobs: Array<{ name: N; payload: JobPayloads[N] } & EnqueueOptions>): Promise<void> {
    const requestId = requestContext.requestId();
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const job of jobs) {
      const queue = JOB_QUEUE[job.name];
      const list = byQueue.get(queue) ?? [];
      const delay = job.runAt ? Math.max(0, job.runAt.getTime() - Date.now()) : 0;
      const data = { ...job.payload, requestId: job.payload.requestId ?? requestId };
      list.push({ name: job.name, data, opts: { ...DEFAULT_JOB_OPTIONS, jobId: job.jobId, delay } });
      byQueue.set(queue, list);
    }
    for (const [queue, list] of byQueue) {
      await this.queue(queue).addBulk(list);
      this.logger.debug(`added ${list.length} job(s) to ${queue}`);
    }
  }
}
