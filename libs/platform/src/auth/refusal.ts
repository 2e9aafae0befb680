import type { AuditService, RefusalRecord } from '../audit/audit.service.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';

/**
 * A refusal decided inside a transaction, which still commits (with the audit rows written in it).
 * `audit` is the row of a refused token that changed nothing: written after the transaction, on
 * its own and coalesced (AuditService.recordRefusal).
 */
export class Refusal {
  constructor(
    readonly error: DomainError,
    readonly audit?: RefusalRecord,
  ) {}
}

/** The value of a unit of work, or its refusal thrown once the transaction is over (and its token audited). */
export async function settle<T>(audit: AuditService, outcome: T | Refusal | Promise<T | Refusal>): Promise<T> {
  const value = await outcome;
  if (!(value instanceof Refusal)) return value;
  if (value.audit) await audit.recordRefusal(value.audit);
  throw value.error;
}

export const inactive = () => DomainError.unauthenticated(ErrorCode.AccountInactive, 'This account is deactivated');
