import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
import { requestContext } from '../context/request-context.js';
import { TransactionRunner, type Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { dummyHash, verifyPassword } from './password.js';
import { actorOf } from './public-user.js';
import { heldBack, LoginThrottle } from './login-throttle.js';
import { inactive, Refusal, settle } from './refusal.js';
import { SessionTokenIssuer, type SessionTokens } from './session-tokens.service.js';
import { User } from './user.entity.js';

/** The audit row of a login attempt that names no account (held back, unknown email). */
const ANONYMOUS_LOGIN = { action: 'auth.login', resourceType: 'user', actor: null, clinicId: null } as const;

const wrongCredentials = () => DomainError.unauthenticated(ErrorCode.InvalidCredentials, 'Email or password is wrong');

/** The audit row of a login attempt, without its outcome: on its account when the email is known. */
type LoginAudit = Required<Pick<AuditEntry, 'action' | 'resourceType' | 'clinicId' | 'actor'>> & Pick<AuditEntry, 'resourceId'>;

/** Where an attempt comes from and which account it names (the email as typed, known or not). */
interface Attempt {
  email: string;
  address: string;
  now: Date;
}

/**
 * Sign-in with email and password, throttled per client address and per (address, account) with
 * a growing back-off after failures (LoginThrottle): an unknown email is answered exactly as a
 * known one, and guesses from one address never lock the real user out from theirs.
 */
@Injectable()
export class SignInService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    config: VigilConfig,
    private readonly clock: Clock,
    private readonly tokens: SessionTokenIssuer,
  ) {
    this.throttle = new LoginThrottle(dataSource, config);
  }

  /**
   * The attempt is counted first, in one statement (parallel attempts cannot all slip under the
   * limit). The password hash is checked outside any transaction (argon2 takes tens of
   * milliseconds, and a flood of logins must not hold pool connections or row locks); the outcome
   * is then applied in one short transaction that locks the user row.
   */
  async login(emailInput: string, password: string): Promise<SessionTokens> {
    const attempt: Attempt = {
      email: emailInput.trim().toLowerCase(),
      address: requestContext.current()?.ip ?? '-',
      now: this.clock.now(),
    };
    await this.refuseIfHeld(attempt);
    if (Math.random() < 0.01) await this.throttle.sweep(attempt.now);
    const found = await this.dataSource
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: attempt.email })
      .getOne();
    // Unknown emails are checked against a dummy hash so both answers take as long.
    const valid = await verifyPassword(found?.passwordHash ?? (await dummyHash()), password);
    return settle(
      this.audit,
      this.transactions.run((tx) => this.applyAttempt(tx, attempt, found, valid)),
    );
  }

  /** A new password: the back-off of every address on this account starts afresh. */
  async forgetFailures(tx: Tx, email: string): Promise<void> {
    await this.throttle.forgetAccount(tx, email);
  }

  private async refuseIfHeld(attempt: Attempt): Promise<void> {
    const hold = await this.throttle.admit(attempt.address, attempt.email, attempt.now);
    if (!hold) return;
    await this.transactions.run((tx) =>
      this.audit.record(tx, { ...ANONYMOUS_LOGIN, outcome: 'denied', changes: { email: attempt.email, ...hold } }),
    );
    throw heldBack(hold);
  }

  /** The checked password's outcome, applied to the account as it is now (locked row). */
  private async applyAttempt(tx: Tx, attempt: Attempt, found: User | null, valid: boolean): Promise<SessionTokens | Refusal> {
    const user = found
      ? await tx.manager
          .createQueryBuilder(User, 'u')
          .addSelect('u.passwordHash')
          .setLock('pessimistic_write')
          .where('u.id = :id', { id: found.id })
          .getOne()
      : null;
    const base: LoginAudit = user
      ? { action: 'auth.login', resourceType: 'user', resourceId: user.id, clinicId: user.clinicId, actor: actorOf(user) }
      : ANONYMOUS_LOGIN;
    // A password changed while this one was being checked does not count as verified.
    if (!user || !valid || user.passwordHash !== found?.passwordHash) return this.failedAttempt(tx, attempt, base, !user);
    if (!user.active) {
      await this.audit.record(tx, { ...base, outcome: 'denied', changes: { reason: 'inactive' } });
      return new Refusal(inactive());
    }
    return this.signIn(tx, attempt, user, base);
  }

  /**
   * A wrong password, or an unknown email (the same answer, the same bookkeeping): one more failure
   * of the (address, account) pair; from LOGIN_MAX_FAILURES on, the back-off's row (`auth.lock`,
   * a failure) says how long that address now waits.
   */
  private async failedAttempt(tx: Tx, attempt: Attempt, base: LoginAudit, unknown: boolean): Promise<Refusal> {
    const { failures, waitUntil } = await this.throttle.failed(tx, attempt.address, attempt.email, attempt.now);
    const who = unknown ? { email: attempt.email, reason: 'unknown_email' } : { reason: 'wrong_password' };
    await this.audit.record(tx, { ...base, outcome: 'failure', changes: { ...who, failures } });
    if (waitUntil) {
      await this.audit.record(tx, {
        ...base,
        action: 'auth.lock',
        outcome: 'failure',
        changes: { ...who, reason: 'backoff', failures, waitUntil },
      });
    }
    return new Refusal(wrongCredentials());
  }

  /** A new login: the pair's failures are forgotten and a new token family begins. */
  private async signIn(tx: Tx, attempt: Attempt, user: User, base: LoginAudit): Promise<SessionTokens> {
    await this.throttle.succeeded(tx, attempt.address, attempt.email);
    // Sign-in bookkeeping is not an edit of the account: the user's version stays (no 409 STALE_VERSION for an admin's pending edit).
    await tx.manager.query('UPDATE users SET last_login_at = $2 WHERE id = $1', [user.id, attempt.now]);
    user.lastLoginAt = attempt.now;
    await this.audit.record(tx, { ...base, outcome: 'success' });
    return this.tokens.issue(tx, user, randomUUID());
  }
}
