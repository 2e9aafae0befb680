import { Injectable } from '@nestjs/common';
import type { RefusedRequest } from '../audit/audit.service.js';
import type { Actor } from '../context/request-context.js';
import type { Tx } from '../database/transaction.js';
import { AccessTokenVerifier } from './access-tokens.service.js';
import { RefreshTokenRotation } from './refresh-rotation.service.js';
import { SessionTokenIssuer, type SessionTokens } from './session-tokens.service.js';
import { SignInService } from './sign-in.service.js';

/**
 * What the API asks of authentication, each part carried out by the service of its concept:
 * sign-in (SignInService), refresh-token rotation (RefreshTokenRotation), the access token of a
 * request (AccessTokenVerifier) and the tokens of a login (SessionTokenIssuer).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly signIn: SignInService,
    private readonly rotation: RefreshTokenRotation,
    private readonly access: AccessTokenVerifier,
    private readonly tokens: SessionTokenIssuer,
  ) {}

  /** See SignInService.login. */
  login(email: string, password: string): Promise<SessionTokens> {
    return this.signIn.login(email, password);
  }

  /** See RefreshTokenRotation.refresh. */
  refresh(token: string, request?: RefusedRequest): Promise<SessionTokens> {
    return this.rotation.refresh(token, request);
  }

  /** Revokes the whole family of the presented token (this device's login). */
  logout(token: string): Promise<void> {
    return this.rotation.logout(token);
  }

  /** See AccessTokenVerifier.authenticate. */
  authenticate(token: string, request?: RefusedRequest): Promise<Actor> {
    return this.access.authenticate(token, request);
  }

  /** A new password: the login back-off of every address on this account starts afresh. */
  forgetLoginFailures(tx: Tx, email: string): Promise<void> {
    return this.signIn.forgetFailures(tx, email);
  }

  /** Revokes every live refresh token of a user (deactivation, password reset); their next request reads the account anew. */
  async revokeAllForUser(tx: Tx, userId: string, reason: string): Promise<void> {
    await this.tokens.revokeAllOfUser(tx, userId, reason);
  }
}
