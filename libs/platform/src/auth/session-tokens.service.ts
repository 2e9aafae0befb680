import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../clock/clock.js';
import { VigilConfig } from '../config/vigil-config.js';
import type { Tx } from '../database/transaction.js';
import { AccessTokenVerifier } from './access-tokens.service.js';
import { JobHandler } from '../queue/job-handler.decorator.js';
import { JobName } from '../queue/job-names.js';
import type { PendingWork } from '../queue/pending-work.entity.js';
import { PendingWorkService } from '../queue/pending-work.service.js';
import { toPublicUser, type PublicUser } from './public-user.js';
import { RefreshToken } from './refresh-token.entity.js';
import { hashSecret, newRefreshSecret, type AccessClaims } from './tokens.js';
import type { User } from './user.entity.js';

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: PublicUser;
}

/**
 * The tokens of a login: a short-lived signed access token and a refresh token whose secret is
 * stored hashed, in a family (one device's login) that revocation ends as a whole.
 */
@Injectable()
export class SessionTokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: VigilConfig,
    private readonly clock: Clock,
    private readonly pendingWork: PendingWorkService,
    private readonly access: AccessTokenVerifier,
  ) {}

  /** A new pair in `familyId`; the refresh token's hash is scrubbed when it expires. */
  async issue(tx: Tx, user: User, familyId: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const secret = newRefreshSecret();
    const expiresAt = new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const inserted = await tx.manager.insert(RefreshToken, { userId: user.id, familyId, tokenHash: hashSecret(secret), expiresAt });
    const id = (inserted.identifiers[0] as { id: string }).id;
    await this.pendingWork.schedule(tx, { kind: JobName.ExpireRefreshToken, subjectId: id, dueAt: expiresAt, clinicId: user.clinicId });
    const accessExpiresAt = new Date(now.getTime() + this.config.ACCESS_TOKEN_TTL_MIN * 60_000);
    const claims: AccessClaims = { sub: user.id, clinicId: user.clinicId, role: user.role, typ: 'access', sid: familyId };
    const accessToken = this.jwt.sign(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_MIN * 60, algorithm: 'HS256' });
    return {
      accessToken,
      accessTokenExpiresAt: accessExpiresAt.toISOString(),
      refreshToken: `${id}.${secret}`,
      refreshTokenExpiresAt: expiresAt.toISOString(),
      user: toPublicUser(user),
    };
  }

  /** How many tokens it revoked: none when the family was already ended. Its access tokens stop working with it. */
  async revokeFamily(tx: Tx, familyId: string, reason: string): Promise<number> {
    this.access.forgetLogin(tx, familyId);
    const result = await tx.manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('family_id = :familyId AND revoked_at IS NULL', { familyId })
      .execute();
    return result.affected ?? 0;
  }

  /** Revokes every live refresh token of a user, and with them every access token; but those of login `keep` when given. */
  async revokeAllOfUser(tx: Tx, userId: string, reason: string, keep?: string): Promise<void> {
    this.access.forget(tx, userId);
    const q = tx.manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keep) q.andWhere('family_id <> :keep', { keep });
    await q.execute();
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
}
