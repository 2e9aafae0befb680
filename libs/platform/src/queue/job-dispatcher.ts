import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { requestContext } from '../context/request-context.js';
import { TransactionRunner, type Tx } from '../database/transaction.js';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { JobName, PENDING_WORK_KINDS, type PendingWorkJob } from './job-names.js';
import { PendingWork } from './pending-work.entity.js';

type Handler = (...args: unknown[]) => Promise<unknown>;

/** Seconds a job may run ahead of its row's due time (clock skew between hosts). */
const EARLY_TOLERANCE_SEC = 1;

/**
 * Finds every @JobHandler at start-up, refuses to start when a job name has none (or two), and
 * runs jobs: a pending-work job claims its row (pending, due, not locked by another worker),
 * runs the handler and marks the row done in one transaction, so it takes effect exactly once.
 */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly transactions: TransactionRunner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<string | undefined>(JOB_HANDLER, fn as Handler);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`job ${name} has two handlers`);
        this.handlers.set(name, (fn as Handler).bind(instance));
      }
    }
    const missing = Object.values(JobName).filter((n) => !this.handlers.has(n));
    if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
  }

  async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const data = (job.data ?? {}) as { requestId?: string };
    return requestContext.run({ requestId: data.requestId ?? `job-${job.id}` }, () =>
      PENDING_WORK_KINDS.has(job.name as JobName) ? this.runPendingWork(handler, job.data as PendingWorkJob) : handler(job.data),
    );
  }

  /** Returns true when this run carried the work out, false when there was nothing to do. */
  async runPendingWork(handler: Handler, payload: PendingWorkJob): Promise<boolean> {
    try {
      return await this.transactions.run(async (tx: Tx) => {
        const work = await tx.manager
          .createQueryBuilder(PendingWork, 'w')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('w.id = :id', { id: payload.workId })
          .andWhere(`w.status = 'pending'`)
          .andWhere(`w.due_at <= now() + make_interval(secs => ${EARLY_TOLERANCE_SEC})`)
          .getOne();
        if (!work) return false;
        await handler(work, tx);
        await tx.manager.update(PendingWork, { id: work.id }, { status: 'done', attempts: work.attempts + 1, completedAt: new Date() });
        return true;
      });
    } catch (err) {
      await this.transactions
        .run((tx) =>
          tx.manager.query(`UPDATE pending_work SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
            payload.workId,
            String((err as Error).message).slice(0, 2000),
          ]),
        )
        .catch(() => undefined);
      this.logger.warn(`pending work ${payload.workId} failed, the queue will retry: ${(err as Error).message}`);
      throw err;
    }
  }
}
