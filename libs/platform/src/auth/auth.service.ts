import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService, requestLine, type RefusalRecord, type RefusedRequest } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
import { requestContext, type Actor, type Role } from '../context/request-context.js';
import { TransactionRunner, type Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { JobHandler } from '../queue/job-handler.decorator.js';
import { JobName } from '../queue/job-names.js';
import type { PendingWork } from '../queue/pending-work.entity.js';
import { PendingWorkService } from '../queue/pending-work.service.js';
import { dummyHash, verifyPassword } from './password.js';
import { RefreshToken } from './refresh-token.entity.js';
import { claimedIdentity, headerRefusal, verifyRefusal, type AccessRefusalReason } from './token-refusal.js';
import { hashSecret, newRefreshSecret, parseRefreshToken, sameHash, type AccessClaims } from './tokens.js';
import { User } from './user.entity.js';

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: PublicUser;
}

export interface PublicUser {
  id: string;
  clinicId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toPublicUser(u: User): PublicUser {
  return {
    id: u.id,
    clinicId: u.clinicId,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    version: u.version,
  };
}

const actorOf = (u: User): Actor => ({ userId: u.id, clinicId: u.clinicId, role: u.role });

/**
 * A refusal decided inside a transaction, which still commits (with the audit rows written in it).
 * `audit` is the row of a refused token that changed nothing: written after the transaction, on
 * its own and coalesced (AuditService.recordRefusal).
 */
class Refusal {
  constructor(
    readonly error: DomainError,
    readonly audit?: RefusalRecord,
  ) {}
}

const invalidAccess = () => DomainError.unauthenticated(ErrorCode.Unauthenticated, 'Access token is not valid');
const invalidRefresh = (message = 'Refresh token is not valid') => DomainError.unauthenticated(ErrorCode.RefreshTokenInvalid, message);
/** How long a user's role and active flag read for one request serve the next ones (see currentUser). */
const USER_CACHE_MS = 1000;
const USER_CACHE_SIZE = 10_000;

const inactive = () => DomainError.unauthenticated(ErrorCode.AccountInactive, 'This account is deactivated');

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
    private readonly config: VigilConfig,
    private readonly clock: Clock,
    private readonly pendingWork: PendingWorkService,
  ) {}

  /**
   * The password hash is checked outside any transaction (argon2 takes tens of milliseconds, and a
   * flood of logins must not hold pool connections or row locks); the outcome is then applied in
   * one short transaction that locks the user row, so concurrent failures all count.
   */
  async login(emailInput: string, password: string): Promise<SessionTokens> {
    const email = emailInput.trim().toLowerCase();
    const ip = requestContext.current()?.ip ?? null;
    const refused = { action: 'auth.login', resourceType: 'user', actor: null, clinicId: null } as const;
    if (await this.rateLimited(ip)) {
      await this.transactions.run((tx) =>
        this.audit.record(tx, { ...refused, outcome: 'denied', changes: { email, reason: 'rate_limited' } }),
      );
      throw new DomainError(429, ErrorCode.RateLimited, 'Too many login attempts from this address; wait a minute', [], {
        'Retry-After': '60',
      });
    }
    const found = await this.dataSource
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
    // Unknown emails are checked against a dummy hash so both answers take as long.
    const valid = await verifyPassword(found?.passwordHash ?? (await dummyHash()), password);
    return this.settle(
      this.transactions.run(async (tx) => {
        const user = found
          ? await tx.manager
              .createQueryBuilder(User, 'u')
              .addSelect('u.passwordHash')
              .setLock('pessimistic_write')
              .where('u.id = :id', { id: found.id })
              .getOne()
          : null;
        if (!user) {
          await this.audit.record(tx, { ...refused, outcome: 'failure', changes: { email, reason: 'unknown_email' } });
          return new Refusal(DomainError.unauthenticated(ErrorCode.InvalidCredentials, 'Email or password is wrong'));
        }
        const now = this.clock.now();
        const base = { action: 'auth.login', resourceType: 'user', resourceId: user.id, clinicId: user.clinicId, actor: actorOf(user) };
        if (user.lockedUntil && user.lockedUntil > now) {
          await this.audit.record(tx, { ...base, outcome: 'denied', changes: { reason: 'locked' } });
          return new Refusal(this.lockedError(user.lockedUntil, now));
        }
        // A password changed while this one was being checked does not count as verified.
        if (!valid || user.passwordHash !== found?.passwordHash) {
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
          return new Refusal(DomainError.unauthenticated(ErrorCode.InvalidCredentials, 'Email or password is wrong'));
        }
        if (!user.active) {
          await this.audit.record(tx, { ...base, outcome: 'denied', changes: { reason: 'inactive' } });
          return new Refusal(inactive());
        }
        await this.signInState(tx, user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
        user.lastLoginAt = now;
        await this.audit.record(tx, { ...base, outcome: 'success' });
        return this.issue(tx, user, randomUUID());
      }),
    );
  }

  /**
   * Every refusal is audited. A token whose secret does not check out names no one (at most the
   * user its row id points to, as `claimed`); a genuine one that is revoked, expired or replayed is
   * filed under its user and clinic, as the reuse that revokes a login always was.
   */
  async refresh(token: string, request?: RefusedRequest): Promise<SessionTokens> {
    const line = requestLine(request);
    const unverified = (reason: string, error: DomainError, sub?: string) =>
      new Refusal(error, {
        action: 'auth.refresh',
        resourceType: 'user',
        reason,
        verified: false,
        details: { ...line, ...(sub ? { claimed: { sub } } : {}) },
      });
    const parsed = parseRefreshToken(token);
    if (!parsed) return this.settle<SessionTokens>(unverified('malformed', invalidRefresh()));
    return this.settle(
      this.transactions.run(async (tx) => {
        const row = await tx.manager
          .createQueryBuilder(RefreshToken, 't')
          .setLock('pessimistic_write')
          .where('t.id = :id', { id: parsed.id })
          .getOne();
        if (!row) return unverified('unknown', invalidRefresh());
        // Scrubbed once expired: the secret can no longer be checked.
        if (!row.tokenHash) return unverified('expired', invalidRefresh(), row.userId);
        if (!sameHash(row.tokenHash, hashSecret(parsed.secret))) return unverified('bad_secret', invalidRefresh(), row.userId);
        const user = await tx.manager.findOneByOrFail(User, { id: row.userId });
        const base = { resourceType: 'user', resourceId: user.id, clinicId: user.clinicId, actor: actorOf(user) };
        const refused = (reason: string, details: Record<string, unknown> = {}): RefusalRecord => ({
          ...base,
          action: 'auth.refresh',
          reason,
          verified: true,
          details: { familyId: row.familyId, ...line, ...details },
        });
        const now = this.clock.now();
        if (row.revokedAt) {
          if (row.revokedReason === 'rotated') {
            // Someone presents a token that was already exchanged: assume it was stolen. The first
            // replay revokes the login, audited with it; later ones find nothing left to revoke.
            const reused = DomainError.unauthenticated(
              ErrorCode.RefreshTokenReused,
              'Refresh token was already used; every session of this login is revoked',
            );
            if ((await this.revokeFamily(tx, row.familyId, 'reused')) === 0) return new Refusal(reused, refused('reuse'));
            await this.audit.recordRefusalIn(tx, refused('reuse'));
            return new Refusal(reused);
          }
          return new Refusal(invalidRefresh('Refresh token is revoked'), refused('revoked', { revokedReason: row.revokedReason }));
        }
        if (row.expiresAt <= now) {
          return new Refusal(
            DomainError.unauthenticated(ErrorCode.TokenExpired, 'Refresh token has expired; log in again'),
            refused('expired'),
          );
        }
        if (!user.active) {
          await this.revokeFamily(tx, row.familyId, 'deactivated');
          await this.audit.recordRefusalIn(tx, refused('inactive'));
          return new Refusal(inactive());
        }
        await tx.manager.update(RefreshToken, { id: row.id }, { revokedAt: now, revokedReason: 'rotated' });
        await this.audit.record(tx, { ...base, action: 'auth.refresh', outcome: 'success', changes: { familyId: row.familyId } });
        return this.issue(tx, user, row.familyId);
      }),
    );
  }

  /** Revokes the whole family of the presented token (this device's login). */
  async logout(token: string): Promise<void> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return;
    await this.transactions.run(async (tx) => {
      const row = await tx.manager.findOneBy(RefreshToken, { id: parsed.id });
      if (!row || !row.tokenHash || !sameHash(row.tokenHash, hashSecret(parsed.secret))) return;
      const user = await tx.manager.findOneByOrFail(User, { id: row.userId });
      await this.revokeFamily(tx, row.familyId, 'logout');
      await this.audit.record(tx, {
        action: 'auth.logout',
        resourceType: 'user',
        resourceId: user.id,
        clinicId: user.clinicId,
        actor: actorOf(user),
        changes: { familyId: row.familyId },
      });
    });
  }

  /** Revokes every live refresh token of a user (deactivation, password reset). */
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

  /**
   * The user's role, clinic and active flag as they are now, read for every request and kept for
   * USER_CACHE_MS: a change made through Vigil (deactivation, a new role or password, all of which
   * revoke the user's logins here) forgets it at once, so it applies to the next request; another
   * API process sees it within USER_CACHE_MS. Inactive and unknown users are never kept.
   */
  private async currentUser(userId: string): Promise<{ role: Role; clinic_id: string; active: boolean } | undefined> {
    const now = Date.now();
    const kept = this.users.get(userId);
    if (kept && kept.until > now) return kept.user;
    const rows: Array<{ role: Role; clinic_id: string; active: boolean }> = await this.dataSource.query(
      'SELECT role, clinic_id, active FROM users WHERE id = $1',
      [userId],
    );
    const user = rows[0];
    if (user?.active) {
      if (this.users.size >= USER_CACHE_SIZE) this.users.clear();
      this.users.set(userId, { user, until: now + USER_CACHE_MS });
    } else this.users.delete(userId);
    return user;
  }

  private readonly users = new Map<string, { user: { role: Role; clinic_id: string; active: boolean }; until: number }>();

  async revokeAllForUser(tx: Tx, userId: string, reason: string): Promise<void> {
    // Forgotten now and again at commit, so a request in between cannot keep the old state.
    this.users.delete(userId);
    tx.afterCommit(() => this.users.delete(userId));
    await tx.manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
  }

  /**
   * The signed-in user of an access token, as the database knows them now: a deactivated account
   * is refused and a changed role applies at once, not when the token expires. Every refusal is
   * audited (`auth.access`, coalesced): `request` gives the row its method and route.
   */
  async authenticate(token: string, request?: RefusedRequest): Promise<Actor> {
    const refuse = async (reason: AccessRefusalReason, signed: boolean, error: DomainError, details: Record<string, unknown> = {}) => {
      const claimed = claimedIdentity(token);
      // Only a Vigil signature makes the claims the user and clinic of the row; otherwise they stay claims.
      await this.audit.recordRefusal({
        action: 'auth.access',
        resourceType: 'user',
        reason,
        verified: signed,
        resourceId: claimed?.sub,
        clinicId: claimed?.clinicId,
        details: { ...requestLine(request), claimed, ...details },
      });
      return error;
    };
    const early = headerRefusal(token);
    if (early) throw await refuse(early.reason, false, invalidAccess(), early.alg ? { alg: early.alg } : {});
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch (err) {
      const { reason, signed } = verifyRefusal(err as Error);
      const error =
        reason === 'expired'
          ? DomainError.unauthenticated(ErrorCode.TokenExpired, 'Access token has expired; refresh it')
          : invalidAccess();
      throw await refuse(reason, signed, error);
    }
    if (claims.typ !== 'access') throw await refuse('wrong_token_type', true, invalidAccess());
    const user = await this.currentUser(claims.sub);
    if (!user) throw await refuse('unknown_user', true, inactive());
    if (!user.active) throw await refuse('inactive', true, inactive());
    return { userId: claims.sub, clinicId: user.clinic_id, role: user.role };
  }

  /** Scrubs the stored hash of a refresh token once it has expired: nothing left to steal. */
  @JobHandler(JobName.ExpireRefreshToken)
  async expireRefreshToken(work: PendingWork, tx: Tx): Promise<void> {
    await tx.manager.query(
      `UPDATE refresh_tokens
          SET token_hash = NULL, revoked_at = COALESCE(revoked_at, now()), revoked_reason = COALESCE(revoked_reason, 'expired')
        WHERE id = $1`,
      [work.subjectId],
    );
  }

  private async issue(tx: Tx, user: User, familyId: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const secret = newRefreshSecret();
    const expiresAt = new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const inserted = await tx.manager.insert(RefreshToken, { userId: user.id, familyId, tokenHash: hashSecret(secret), expiresAt });
    const id = (inserted.identifiers[0] as { id: string }).id;
    await this.pendingWork.schedule(tx, { kind: JobName.ExpireRefreshToken, subjectId: id, dueAt: expiresAt, clinicId: user.clinicId });
    const accessExpiresAt = new Date(now.getTime() + this.config.ACCESS_TOKEN_TTL_MIN * 60_000);
    const claims: AccessClaims = { sub: user.id, clinicId: user.clinicId, role: user.role, typ: 'access' };
    const accessToken = this.jwt.sign(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_MIN * 60, algorithm: 'HS256' });
    return {
      accessToken,
      accessTokenExpiresAt: accessExpiresAt.toISOString(),
      refreshToken: `${id}.${secret}`,
      refreshTokenExpiresAt: expiresAt.toISOString(),
      user: toPublicUser(user),
    };
  }

  /** How many tokens it revoked: none when the family was already ended. */
  private async revokeFamily(tx: Tx, familyId: string, reason: string): Promise<number> {
    const result = await tx.manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('family_id = :familyId AND revoked_at IS NULL', { familyId })
      .execute();
    return result.affected ?? 0;
  }

  /** The value of a unit of work, or its refusal thrown once the transaction is over (and its token audited). */
  private async settle<T>(outcome: T | Refusal | Promise<T | Refusal>): Promise<T> {
    const value = await outcome;
    if (!(value instanceof Refusal)) return value;
    if (value.audit) await this.audit.recordRefusal(value.audit);
    throw value.error;
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

  private lockedError(until: Date, now: Date): DomainError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new DomainError(
      429,
      ErrorCode.AccountLocked,
      `Account locked after repeated failed logins; try again after ${until.toISOString()}`,
      [],
      {
        'Retry-After': String(seconds),
      },
    );
  }
}
