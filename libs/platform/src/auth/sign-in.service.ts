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
import { inactive, Refusal, settle } from './refusal.js';
import { SessionTokenIssuer, type SessionTokens } from './session-tokens.service.js';
import { User } from './user.entity.js';

/** The audit row of a login attempt that names no account (rate limit, unknown email). */
const ANONYMOUS_LOGIN = { action: 'auth.login', resourceType: 'user', actor: null, clinicId: null } as const;

const wrongCredentials = () => DomainError.unauthenticated(ErrorCode.InvalidCredentials, 'Email or password is wrong');

/** The audit row of a login attempt on a known account, without its outcome. */
type LoginAudit = Required<Pick<AuditEntry, 'action' | 'resourceType' | 'resourceId' | 'clinicId' | 'actor'>>;

/**
 * Sign-in with email and password: a per-address rate limit, and a lock of the account after
 * LOGIN_MAX_FAILURES failed attempts in a row.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly config: VigilConfig,
    private readonly clock: Clock,
    private readonly tokens: SessionTokenIssuer,
  ) {}

  /**
   * The password hash is checked outside any transaction (argon2 takes tens of milliseconds, and a
   * flood of logins must not hold pool connections or row locks); the outcome is then applied in
   * one short transaction that locks the user row, so concurrent failures all count.
   */
  async login(emailInput: string, password: string): Promise<SessionTokens> {
    const email = emailInput.trim().toLowerCase();
    await this.refuseIfRateLimited(email, requestContext.current()?.ip ?? null);
    const found = await this.dataSource
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
    // Unknown emails are checked against a dummy hash so both answers take as long.
    const valid = await verifyPassword(found?.passwordHash ?? (await dummyHash()), password);
    return settle(
      this.audit,
      this.transactions.run((tx) => this.applyAttempt(tx, email, found, valid)),
    );
  }

  private async refuseIfRateLimited(email: string, ip: string | null): Promise<void> {
    if (!(await this.rateLimited(ip))) return;
    await this.transactions.run((tx) =>
      this.audit.record(tx, { ...ANONYMOUS_LOGIN, outcome: 'denied', changes: { email, reason: 'rate_limited' } }),
    );
    throw new DomainError(429, ErrorCode.RateLimited, 'Too many login attempts from this address; wait a minute', [], {
      'Retry-After': '60',
    });
  }

  private async rateLimited(ip: string | null): Promise<boolean> {
    if (!ip) return false;
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events
        WHERE ip = $1 AND action = 'auth.login' AND occurred_at > now() - interval '1 minute'`,
      [ip],
    );
    return (rows[0]?.n ?? 0) >= this.config.LOGIN_RATE_LIMIT_PER_MIN;
  }

  /** The checked password's outcome, applied to the account as it is now (locked row). */
  private async applyAttempt(tx: Tx, email: string, found: User | null, valid: boolean): Promise<SessionTokens | Refusal> {
    const user = found
      ? await tx.manager
          .createQueryBuilder(User, 'u')
          .addSelect('u.passwordHash')
          .setLock('pessimistic_write')
          .where('u.id = :id', { id: found.id })
          .getOne()
      : null;
    if (!user) {
      await this.audit.record(tx, { ...ANONYMOUS_LOGIN, outcome: 'failure', changes: { email, reason: 'unknown_email' } });
      return new Refusal(wrongCredentials());
    }
    const now = this.clock.now();
    const base: LoginAudit = {
      action: 'auth.login',
      resourceType: 'user',
      resourceId: user.id,
      clinicId: user.clinicId,
      actor: actorOf(user),
    };
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.audit.record(tx, { ...base, outcome: 'denied', changes: { reason: 'locked' } });
      return new Refusal(this.lockedError(user.lockedUntil, now));
    }
    // A password changed while this one was being checked does not count as verified.
    if (!valid || user.passwordHash !== found?.passwordHash) return this.failedAttempt(tx, user, base, now);
    if (!user.active) {
      await this.audit.record(tx, { ...base, outcome: 'denied', changes: { reason: 'inactive' } });
      return new Refusal(inactive());
    }
    return this.signIn(tx, user, base, now);
  }

  /** A wrong password counts; the one that reaches LOGIN_MAX_FAILURES locks the account. */
  private async failedAttempt(tx: Tx, user: User, base: LoginAudit, now: Date): Promise<Refusal> {
    const failures = user.failedLoginCount + 1;
    if (failures >= this.config.LOGIN_MAX_FAILURES) {
      const lockedUntil = new Date(now.getTime() + this.config.LOGIN_LOCK_MIN * 60_000);
      await this.signInState(tx, user.id, { failedLoginCount: 0, lockedUntil });
      await this.audit.record(tx, { ...base, outcome: 'failure', changes: { reason: 'wrong_password', failures, lockedUntil } });
      await this.audit.record(tx, { ...base, action: 'auth.lock', changes: { lockedUntil } });
      return new Refusal(this.lockedError(lockedUntil, now));
    }
    await this.signInState(tx, user.id, { failedLoginCount: failures });
    await this.audit.record(tx, { ...base, outcome: 'failure', changes: { reason: 'wrong_password', failures } });
    return new Refusal(wrongCredentials());
  }

  /** A new login: the failure count and lock are cleared and a new token family begins. */
  private async signIn(tx: Tx, user: User, base: LoginAudit, now: Date): Promise<SessionTokens> {
    await this.signInState(tx, user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
    user.lastLoginAt = now;
    await this.audit.record(tx, { ...base, outcome: 'success' });
    return this.tokens.issue(tx, user, randomUUID());
  }

  /**
   * Sign-in bookkeeping (failed attempts, lock, last login) is not an edit of the account: it
   * leaves the user's version alone, so a mistyped password does not turn an administrator's
   * pending edit of that user into 409 STALE_VERSION.
   */
  private async signInState(
    tx: Tx,
    userId: string,
    s: { failedLoginCount: number; lockedUntil?: Date | null; lastLoginAt?: Date },
  ): Promise<void> {
    await tx.manager.query(
      `UPDATE users SET failed_login_count = $2,
              locked_until = CASE WHEN $3 THEN $4::timestamptz ELSE locked_until END,
              last_login_at = COALESCE($5::timestamptz, last_login_at)
        WHERE id = $1`,
      [userId, s.failedLoginCount, s.lockedUntil !== undefined, s.lockedUntil ?? null, s.lastLoginAt ?? null],
    );
  }

  private lockedError(until: Date, now: Date): DomainError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new DomainError(
      429,
      ErrorCode.AccountLocked,
      `Account locked after repeated failed logins; try again after ${until.toISOString()}`,
      [],
      { 'Retry-After': String(seconds) },
    );
  }
}
