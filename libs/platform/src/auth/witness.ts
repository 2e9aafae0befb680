import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
import { requestContext, type Actor, type Role } from '../context/request-context.js';
import { TransactionRunner } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { LoginThrottle } from './login-throttle.js';
import { dummyHash, verifyPassword } from './password.js';
import { User } from './user.entity.js';

/** A second user present, who signs by re-entering their own password in the request. */
export interface WitnessSignature {
  userId: string;
  password: string;
}

export interface VerifiedWitness {
  userId: string;
  name: string;
  role: Role;
}

const refused = (code: string, message: string) => DomainError.firstRuleUnmet(message, [{ code, message, overridable: false }]);

/**
 * Checks a witness's signature: another active user of the actor's clinic, of a role allowed to
 * witness, whose password matches. Run before the business transaction (argon2 takes tens of
 * milliseconds and must hold no connection or lock). Every attempt counts in the login throttle of
 * the witness's account from the caller's address, so a witness field cannot be used to guess a
 * colleague's password faster than the sign-in page allows (429 RATE_LIMITED when held back). An
 * unknown, inactive or ineligible witness and a wrong password get the same answer, audited.
 */
@Injectable()
export class WitnessVerifier {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: VigilConfig,
  ) {
    this.throttle = new LoginThrottle(dataSource, config);
  }

  /** `what` names the act witnessed, for the audit row of a refusal. 422 WITNESS_IS_ACTOR, WITNESS_NOT_VERIFIED. */
  async verify(actor: Actor, signature: WitnessSignature, roles: readonly Role[], what: string): Promise<VerifiedWitness> {
    if (signature.userId === actor.userId) throw refused('WITNESS_IS_ACTOR', 'The witness must be someone other than you');
    const now = this.clock.now();
    const address = requestContext.current()?.ip ?? '-';
    const found = await this.dataSource
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('u.id = :id AND u.clinic_id = :clinicId', { id: signature.userId, clinicId: actor.clinicId })
      .getOne();
    const account = found?.email ?? `witness:${signature.userId}`;
    const hold = await this.throttle.admit(address, account, now);
    if (hold)
      throw new DomainError(
        429,
        ErrorCode.RateLimited,
        'Too many witness attempts for this user; wait before trying again (see Retry-After)',
        [],
        {
          'Retry-After': String(hold.retryAfterSec),
        },
      );
    const valid = await verifyPassword(found?.passwordHash ?? (await dummyHash()), signature.password);
    const eligible = Boolean(found?.active) && roles.includes(found!.role);
    const reason = !found ? 'unknown_user' : !valid ? 'wrong_password' : !eligible ? 'not_eligible' : null;
    await this.transactions.run(async (tx) => {
      if (valid) await this.throttle.succeeded(tx, address, account);
      if (!reason) return;
      const failures = valid ? null : (await this.throttle.failed(tx, address, account, now)).failures;
      await this.audit.record(tx, {
        action: 'witness.verify',
        resourceType: 'user',
        resourceId: found?.id ?? null,
        outcome: 'failure',
        changes: { what, reason, failures },
      });
    });
    if (reason || !found)
      throw refused(
        'WITNESS_NOT_VERIFIED',
        `The witness's password does not match, or they may not witness this (${roles.join(' or ')} of your clinic)`,
      );
    return { userId: found.id, name: found.name, role: found.role };
  }
}
