import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { VigilConfig } from '../config/vigil-config.js';
import { requestContext } from '../context/request-context.js';
import { guardPoolInsideTransactions } from './pool-guard.js';

type Hook = () => unknown;

/**
 * One unit of work: the entity manager of the open transaction plus hooks that run only once it
 * has committed (enqueueing jobs, pushing stream events). Audit rows are written through `manager`.
 */
export class Tx {
  /** False once the transaction has committed or rolled back. */
  open = true;

  constructor(
    readonly manager: EntityManager,
    private readonly hooks: Hook[],
  ) {}

  /** Runs `hook` after a successful commit; never when the transaction rolls back. */
  afterCommit(hook: Hook): void {
    this.hooks.push(hook);
  }
}

/** The transaction the current async context runs in (shared by every runner: the pool guard reads it). */
const ambient = new AsyncLocalStorage<Tx>();

/** The open transaction of the caller's async context, if any. */
export function ambientTransaction(): Tx | undefined {
  const tx = ambient.getStore();
  return tx?.open ? tx : undefined;
}

/**
 * Runs `work` outside the caller's transaction, on connections of its own: for the few writes that
 * must commit whatever becomes of the transaction around them (a delivery attempt recorded before
 * the SMTP call). Everything else passes `tx.manager`; the pool guard refuses the rest.
 */
export function outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
  return ambient.exit(work);
}

/**
 * How long a statement of a request's transaction waits for a row lock before giving up (SQLSTATE
 * 55P03, answered 409): under the data source's per-query deadline, so a contended record answers
 * "try again" quickly instead of the request waiting into a 503.
 */
export const INTERACTIVE_LOCK_TIMEOUT_MS = 1000;

@Injectable()
export class TransactionRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Transaction');
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly ambient = ambient;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() config?: VigilConfig,
  ) {
    guardPoolInsideTransactions(dataSource, ambientTransaction, config?.NODE_ENV === 'test' ? 'throw' : 'warn');
  }

  /**
   * Runs `work` in one database transaction; called inside another `run`, it joins that one (its
   * after-commit hooks then wait for the outer commit). After-commit hooks start once it has committed and
   * are not awaited: the answer never waits on the queue (a Redis outage must not hold a
   * request), and a hook that fails is logged; the sweeper heals whatever it did not enqueue.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // Inside a unit of work already (an idempotent request wraps its handler in one): join it.
    const joined = ambientTransaction();
    if (joined) return work(joined);
    const hooks: Hook[] = [];
    const interactive = requestContext.current()?.interactive === true;
    const result = await this.dataSource.transaction(async (manager) => {
      const tx = new Tx(manager, hooks);
      try {
        if (interactive) await manager.query(`SET LOCAL lock_timeout = ${INTERACTIVE_LOCK_TIMEOUT_MS}`);
        return await this.ambient.run(tx, () => work(tx));
      } finally {
        tx.open = false;
      }
    });
    for (const hook of hooks) {
      const running = Promise.resolve()
        .then(hook)
        .catch((err: Error) => this.logger.warn(`after-commit hook failed; the sweeper will retry: ${err.message}`))
        .finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    }
    return result;
  }

  /** The unit of work the caller runs inside, if any (an idempotent request wraps its handler in one). */
  current(): Tx | undefined {
    return ambientTransaction();
  }

  /** On shutdown, lets after-commit hooks still running finish (at most 2 s) before the queues close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
