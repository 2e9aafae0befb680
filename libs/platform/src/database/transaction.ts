import { Injectable, Logger } from '@nestjs/common';
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
export class TransactionRunner {
  private readonly logger = new Logger('Transaction');

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one database transaction. After-commit hooks start once it has committed and
   * are not awaited: the answer never waits on the queue (a Redis outage must not hold a
   * request), and a hook that fails is logged; the sweeper heals whatever it did not enqueue.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const hooks: Hook[] = [];
    const result = await this.dataSource.transaction((manager) => work(new Tx(manager, hooks)));
    for (const hook of hooks) {
      Promise.resolve()
        .then(hook)
        .catch((err: Error) => this.logger.warn(`after-commit hook failed; the sweeper will retry: ${err.message}`));
    }
    return result;
  }
}
