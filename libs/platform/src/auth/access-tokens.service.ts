import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditService, requestLine, type RefusedRequest } from '../audit/audit.service.js';
import type { Actor, Role } from '../context/request-context.js';
import type { Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { inactive } from './refusal.js';
import { claimedIdentity, headerRefusal, verifyRefusal, type AccessRefusalReason } from './token-refusal.js';
import type { AccessClaims } from './tokens.js';

/** How long a user's role and active flag read for one request serve the next ones (see currentUser). */
const USER_CACHE_MS = 1000;
const USER_CACHE_SIZE = 10_000;

type CurrentUser = { role: Role; clinic_id: string; active: boolean };

const invalidAccess = () => DomainError.unauthenticated(ErrorCode.Unauthenticated, 'Access token is not valid');

/** The access token of each request: its signature, its type, and its user as they are now. */
@Injectable()
export class AccessTokenVerifier {
  private readonly users = new Map<string, { user: CurrentUser; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
  ) {}

  /**
   * The signed-in user of an access token, as the database knows them now: a deactivated account
   * is refused and a changed role applies at once, not when the token expires. Every refusal is
   * audited (`auth.access`, coalesced): `request` gives the row its method and route.
   */
  async authenticate(token: string, request?: RefusedRequest): Promise<Actor> {
    const refuse = (reason: AccessRefusalReason, signed: boolean, error: DomainError, details: Record<string, unknown> = {}) =>
      this.refused(token, request, { reason, signed, details }, error);
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

  /**
   * Forgets what is kept of a user whose account changes, now and again at commit, so a request in
   * between cannot keep the old state.
   */
  forget(tx: Tx, userId: string): void {
    this.users.delete(userId);
    tx.afterCommit(() => this.users.delete(userId));
  }

  /** Audits a refused token and gives back the error to throw. */
  private async refused(
    token: string,
    request: RefusedRequest | undefined,
    why: { reason: AccessRefusalReason; signed: boolean; details: Record<string, unknown> },
    error: DomainError,
  ): Promise<DomainError> {
    const claimed = claimedIdentity(token);
    // Only a Vigil signature makes the claims the user and clinic of the row; otherwise they stay claims.
    await this.audit.recordRefusal({
      action: 'auth.access',
      resourceType: 'user',
      reason: why.reason,
      verified: why.signed,
      resourceId: claimed?.sub,
      clinicId: claimed?.clinicId,
      details: { ...requestLine(request), claimed, ...why.details },
    });
    return error;
  }

  /**
   * The user's role, clinic and active flag as they are now, read for every request and kept for
   * USER_CACHE_MS: a change made through Vigil (deactivation, a new role or password, all of which
   * revoke the user's logins and forget them here) applies to the next request; another API
   * process sees it within USER_CACHE_MS. Inactive and unknown users are never kept.
   */
  private async currentUser(userId: string): Promise<CurrentUser | undefined> {
    const now = Date.now();
    const kept = this.users.get(userId);
    if (kept && kept.until > now) return kept.user;
    const rows: CurrentUser[] = await this.dataSource.query('SELECT role, clinic_id, active FROM users WHERE id = $1', [userId]);
    const user = rows[0];
    if (user?.active) {
      if (this.users.size >= USER_CACHE_SIZE) this.users.clear();
      this.users.set(userId, { user, until: now + USER_CACHE_MS });
    } else this.users.delete(userId);
    return user;
  }
}
