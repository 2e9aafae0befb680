import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditService, requestLine, type RefusedRequest } from '../audit/audit.service.js';
import { VigilConfig } from '../config/vigil-config.js';
import type { Actor, Role } from '../context/request-context.js';
import type { Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { inactive } from './refusal.js';
import { claimedIdentity, claimsRefusal, headerRefusal, verifyRefusal, type AccessRefusalReason } from './token-refusal.js';
import type { AccessClaims } from './tokens.js';

/** How long a login's user (role, active flag) and liveness read for one request serve the next ones (see currentLogin). */
const LOGIN_CACHE_MS = 1000;
const LOGIN_CACHE_SIZE = 10_000;

/** A login as the database knows it now: its user, and whether the login (refresh-token family) is still live. */
type CurrentLogin = { role: Role; clinic_id: string; active: boolean; password_change_required: boolean; live: boolean };

const invalidAccess = () => DomainError.unauthenticated(ErrorCode.Unauthenticated, 'Access token is not valid');
const loginEnded = () => DomainError.unauthenticated(ErrorCode.Unauthenticated, 'This login has ended; log in again');

/** The access token of each request: its signature, its type, and its user as they are now. */
@Injectable()
export class AccessTokenVerifier {
  /** Keyed by login (`sid`). */
  private readonly logins = new Map<string, { userId: string; login: CurrentLogin; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
    private readonly config: VigilConfig,
  ) {}

  /**
   * The signed-in user of an access token, as the database knows them now: a deactivated account
   * or an ended login (logout, new password, refresh-token reuse) is refused and a changed role
   * applies at once, not when the token expires. A token Vigil would not have issued (no `exp`, a
   * longer life than ACCESS_TOKEN_TTL_MIN, no login named) is refused too. Every refusal is
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
    const unlike = claimsRefusal(claims, this.config.ACCESS_TOKEN_TTL_MIN, Math.floor(Date.now() / 1000));
    if (unlike) throw await refuse(unlike, true, invalidAccess());
    const login = await this.currentLogin(claims.sub, claims.sid);
    if (!login) throw await refuse('unknown_user', true, inactive());
    if (!login.active) throw await refuse('inactive', true, inactive());
    if (!login.live) throw await refuse('login_ended', true, loginEnded());
    const actor: Actor = { userId: claims.sub, clinicId: login.clinic_id, role: login.role, loginId: claims.sid };
    return login.password_change_required ? { ...actor, passwordChangeRequired: true } : actor;
  }

  /**
   * Forgets what is kept of a user whose account changes, now and again at commit, so a request in
   * between cannot keep the old state.
   */
  forget(tx: Tx, userId: string): void {
    const drop = () => {
      for (const [sid, kept] of this.logins) if (kept.userId === userId) this.logins.delete(sid);
    };
    drop();
    tx.afterCommit(drop);
  }

  /** Forgets what is kept of a login being ended, now and again at commit. */
  forgetLogin(tx: Tx, sid: string): void {
    this.logins.delete(sid);
    tx.afterCommit(() => this.logins.delete(sid));
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
   * The user's role, clinic and active flag and whether the login still has a live refresh token,
   * as they are now: one query per request, kept for LOGIN_CACHE_MS. A change made through Vigil
   * (deactivation, a new role or password, logout, refresh-token reuse, all of which revoke logins
   * and forget them here) applies to the next request; another API process sees it within
   * LOGIN_CACHE_MS. Inactive users and ended logins are never kept.
   */
  private async currentLogin(userId: string, sid: string): Promise<CurrentLogin | undefined> {
    const now = Date.now();
    const kept = this.logins.get(sid);
    if (kept && kept.until > now && kept.userId === userId) return kept.login;
    const rows: CurrentLogin[] = await this.dataSource.query(
      `SELECT u.role, u.clinic_id, u.active, u.password_change_required,
              EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $2 AND t.user_id = u.id AND t.revoked_at IS NULL) AS live
         FROM users u WHERE u.id = $1`,
      [userId, sid],
    );
    const login = rows[0];
    if (login?.active && login.live) {
      if (this.logins.size >= LOGIN_CACHE_SIZE) this.logins.clear();
      this.logins.set(sid, { userId, login, until: now + LOGIN_CACHE_MS });
    } else this.logins.delete(sid);
    return login;
  }
}
