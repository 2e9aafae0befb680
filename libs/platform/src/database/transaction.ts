import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

type Hook = () => unknown;

/**
 * One unit of work: the entity manager of the open transaction plus hooks that run only once it
 * has committed (enqueueing jobs, pushing stream events). Audit rows are written through `manager`.
 */
export class Tx {
  constructor(
    readonly manager: EntityManager,
    private readonly hooks: Hook[],
  ) {}

  /** Runs `hook` after a successful commit; never when the transaction rolls back. */
  afterCommit(hook: Hook): void {
    this.hooks.push(hook);
  }
}

@Injectable()
export class TransactionRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Transaction');
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly ambient = new AsyncLocalStorage<Tx>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one database transaction; called inside another `run`, it joins that one (its
   * after-commit hooks then wait for the outer commit). After-commit hooks start once it has committed and
   * are not awaited: the answer never waits on the queue (a Redis outage must not hold a
   * request), and a hook that fails is logged; the sweeper heals whatever it did not enqueue.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // Inside a unit of work already (an idempotent request wraps its handler in one): join it.
    const ambient = this.ambient.getStore();
    if (ambient) return work(ambient);
    const hooks: Hook[] = [];
    const result = await this.dataSource.transaction((manager) => {
      const tx = new Tx(manager, hooks);
      return this.ambient.run(tx, () => work(tx));
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
    return this.ambient.getStore();
  }

  /** On shutdown, lets after-commit hooks still running finish (at most 2 s) before the queues close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
