import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** Code inside a transaction asked the pool for another connection (see guardPoolInsideTransactions). */
export class PoolInsideTransactionError extends Error {
  readonly code = 'VIGIL_POOL_INSIDE_TRANSACTION';
}

const GUARDED = Symbol('vigil.poolGuard');

/**
 * A request that holds one pooled connection (its transaction, often with row locks) and then
 * waits for a second one deadlocks the pool under load: twenty such requests hold every
 * connection and each waits for another (503). Every use of the pool that is not the
 * transaction's own manager goes through `DataSource.createQueryRunner`; this wraps it so that,
 * while a transaction is open on the same async context, it throws (`throw`: the tests, where
 * every such call must pass `tx.manager` instead) or logs the caller (`warn`: production).
 */
export function guardPoolInsideTransactions(dataSource: DataSource, openTransaction: () => unknown, mode: 'throw' | 'warn'): void {
  const target = dataSource as DataSource & { [GUARDED]?: boolean };
  if (target[GUARDED]) return;
  target[GUARDED] = true;
  const logger = new Logger('PoolGuard');
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args: Parameters<DataSource['createQueryRunner']>) => {
    if (openTransaction()) {
      const error = new PoolInsideTransactionError(
        'A second pooled connection was asked for inside a transaction: pass the transaction manager (tx.manager) instead',
      );
      if (mode === 'throw') throw error;
      logger.warn(`${error.message}\n${error.stack ?? ''}`);
    }
    return createQueryRunner(...args);
  };
}
