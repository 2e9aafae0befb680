import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { IdempotencyKey } from './idempotency-key.entity.js';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

export interface IdempotentCall {
  clinicId: string;
  userId: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

@Injectable()
export class IdempotencyService {
  constructor(private readonly transactions: TransactionRunner) {}

  /**
   * Runs `work` once per (user, key): the first call runs it and stores its answer in the same
   * transaction; a repeat with the same request gets that answer (`replayed`), one with another
   * request is a 409. Concurrent repeats wait for the first to finish.
   */
  async run<T>(call: IdempotentCall, work: () => Promise<T>): Promise<{ replayed: boolean; body: T }> {
    if (!IDEMPOTENCY_KEY.test(call.key))
      throw DomainError.validation([
        { field: 'Idempotency-Key', message: 'must be 1–200 characters of A–Z, a–z, 0–9, ".", "_", ":", "-"' },
      ]);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([call.method, call.path, call.body ?? null]))
      .digest('hex');
    return this.transactions.run(async (tx) => {
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`idempotency:${call.userId}:${call.key}`]);
      const seen = await tx.manager.findOneBy(IdempotencyKey, { userId: call.userId, key: call.key });
      if (seen) {
        if (seen.fingerprint !== fingerprint)
          throw DomainError.conflict(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for a different request');
        return { replayed: true, body: seen.response as T };
      }
      const body = await work();
      await tx.manager.insert(IdempotencyKey, {
        clinicId: call.clinicId,
        key: call.key,
        fingerprint,
        userId: call.userId,
        response: body as object,
      });
      return { replayed: false, body };
    });
  }
}
