import { Injectable } from '@nestjs/common';
import { AuditService, requestLine, type RefusalRecord, type RefusedRequest } from '../audit/audit.service.js';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
import { TransactionRunner, type Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { actorOf } from './public-user.js';
import { RefreshToken } from './refresh-token.entity.js';
import { inactive, Refusal, settle } from './refusal.js';
import { SessionTokenIssuer, type SessionTokens } from './session-tokens.service.js';
import { hashSecret, parseRefreshToken, sameHash } from './tokens.js';
import { User } from './user.entity.js';

type RequestLine = ReturnType<typeof requestLine>;
/** The audit row of a refusal of a genuine token, filed under its user and clinic. */
type VerifiedRefusal = (reason: string, details?: Record<string, unknown>) => RefusalRecord;

const invalidRefresh = (message = 'Refresh token is not valid') => DomainError.unauthenticated(ErrorCode.RefreshTokenInvalid, message);

/** A token whose secret does not check out names no one: at most the user its row id points to, as `claimed`. */
const unverified = (line: RequestLine, reason: string, sub?: string) =>
  new Refusal(invalidRefresh(), {
    action: 'auth.refresh',
    resourceType: 'user',
    reason,
    verified: false,
    details: { ...line, ...(sub ? { claimed: { sub } } : {}) },
  });

/**
 * Refresh-token rotation: each token is exchanged once for a new pair in the same family, and a
 * token presented again after its exchange (a stolen copy, presumably) revokes the whole family,
 * unless it comes within REFRESH_REUSE_GRACE_SEC of the exchange (another tab, see anotherTab).
 */
@Injectable()
export class RefreshTokenRotation {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly tokens: SessionTokenIssuer,
    private readonly config: VigilConfig,
  ) {}

  /**
   * Every refusal is audited. A token whose secret does not check out names no one (at most the
   * user its row id points to, as `claimed`); a genuine one that is revoked, expired or replayed is
   * filed under its user and clinic, as the reuse that revokes a login always was.
   */
  async refresh(token: string, request?: RefusedRequest): Promise<SessionTokens> {
    const line = requestLine(request);
    const parsed = parseRefreshToken(token);
    if (!parsed) return settle<SessionTokens>(this.audit, unverified(line, 'malformed'));
    return settle(
      this.audit,
      this.transactions.run(async (tx) => {
        const row = await this.genuineRow(tx, parsed, line);
        return row instanceof Refusal ? row : this.exchange(tx, row, line);
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
      await this.tokens.revokeFamily(tx, row.familyId, 'logout');
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

  /** The presented token's row, locked, when its secret checks out. */
  private async genuineRow(tx: Tx, parsed: { id: string; secret: string }, line: RequestLine): Promise<RefreshToken | Refusal> {
    const row = await tx.manager
      .createQueryBuilder(RefreshToken, 't')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id: parsed.id })
      .getOne();
    if (!row) return unverified(line, 'unknown');
    // Scrubbed once expired: the secret can no longer be checked.
    if (!row.tokenHash) return unverified(line, 'expired', row.userId);
    if (!sameHash(row.tokenHash, hashSecret(parsed.secret))) return unverified(line, 'bad_secret', row.userId);
    return row;
  }

  /** A genuine token, exchanged for a new pair when it is live and its user active. */
  private async exchange(tx: Tx, row: RefreshToken, line: RequestLine): Promise<SessionTokens | Refusal> {
    const user = await tx.manager.findOneByOrFail(User, { id: row.userId });
    const base = { resourceType: 'user', resourceId: user.id, clinicId: user.clinicId, actor: actorOf(user) };
    const refused: VerifiedRefusal = (reason, details = {}) => ({
      ...base,
      action: 'auth.refresh',
      reason,
      verified: true,
      details: { familyId: row.familyId, ...line, ...details },
    });
    const now = this.clock.now();
    if (row.revokedAt && (await this.anotherTab(tx, row, user, now))) {
      await this.audit.record(tx, {
        ...base,
        action: 'auth.refresh',
        outcome: 'success',
        changes: { familyId: row.familyId, again: true },
      });
      return this.tokens.issue(tx, user, row.familyId);
    }
    if (row.revokedAt) return this.revokedPresented(tx, row, refused);
    if (row.expiresAt <= now) {
      return new Refusal(
        DomainError.unauthenticated(ErrorCode.TokenExpired, 'Refresh token has expired; log in again'),
        refused('expired'),
      );
    }
    if (!user.active) {
      await this.tokens.revokeFamily(tx, row.familyId, 'deactivated');
      await this.audit.recordRefusalIn(tx, refused('inactive'));
      return new Refusal(inactive());
    }
    await tx.manager.update(RefreshToken, { id: row.id }, { revokedAt: now, revokedReason: 'rotated' });
    await this.audit.record(tx, { ...base, action: 'auth.refresh', outcome: 'success', changes: { familyId: row.familyId } });
    return this.tokens.issue(tx, user, row.familyId);
  }

  /**
   * A token exchanged less than REFRESH_REUSE_GRACE_SEC ago, presented again while its login is
   * live and its user active: another tab of the same browser refreshing at the same moment, not a
   * theft. It gets a fresh pair of the same login. Later, the same token is taken as stolen.
   */
  private async anotherTab(tx: Tx, row: RefreshToken, user: User, now: Date): Promise<boolean> {
    const graceMs = this.config.REFRESH_REUSE_GRACE_SEC * 1000;
    if (row.revokedReason !== 'rotated' || !row.revokedAt || now.getTime() - row.revokedAt.getTime() > graceMs) return false;
    if (!user.active || row.expiresAt <= now) return false;
    const live: unknown[] = await tx.manager.query('SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL LIMIT 1', [
      row.familyId,
    ]);
    return live.length > 0;
  }

  /**
   * A revoked token. One that was already exchanged is taken as stolen: the first replay revokes the
   * login, audited with it; later ones find nothing left to revoke.
   */
  private async revokedPresented(tx: Tx, row: RefreshToken, refused: VerifiedRefusal): Promise<Refusal> {
    if (row.revokedReason !== 'rotated') {
      return new Refusal(invalidRefresh('Refresh token is revoked'), refused('revoked', { revokedReason: row.revokedReason }));
    }
    const reused = DomainError.unauthenticated(
      ErrorCode.RefreshTokenReused,
      'Refresh token was already used; every session of this login is revoked',
    );
    if ((await this.tokens.revokeFamily(tx, row.familyId, 'reused')) === 0) return new Refusal(reused, refused('reuse'));
    await this.audit.recordRefusalIn(tx, refused('reuse'));
    return new Refusal(reused);
  }
}
