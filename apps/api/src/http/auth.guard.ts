import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  AuthService,
  DomainError,
  ErrorCode,
  PUBLIC_KEY,
  ROLES_KEY,
  TEMPORARY_PASSWORD_KEY,
  requestContext,
  type Actor,
  type Role,
} from '#platform';
import { bearerToken } from './bearer.js';

/**
 * Guarded by default: a route is open only with @Public; otherwise it needs a valid access token
 * and a role its @Roles lists. A route with neither is refused (and fails the route-walk test).
 * A refused token is audited by AuthService.authenticate (no header at all is not a token: 401 only).
 * A user whose password an administrator set reaches only the routes marked @AllowsTemporaryPassword
 * until they choose their own (403 PASSWORD_CHANGE_REQUIRED).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const token = bearerToken(request);
    if (!token) throw DomainError.unauthenticated();
    const actor = await this.auth.authenticate(token, request);
    request.actor = actor;
    requestContext.setActor(actor);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(actor.role)) throw DomainError.forbidden();
    if (actor.passwordChangeRequired && !this.reflector.getAllAndOverride<boolean>(TEMPORARY_PASSWORD_KEY, targets))
      throw passwordChangeRequired();
    return true;
  }
}

export const passwordChangeRequired = () =>
  new DomainError(
    403,
    ErrorCode.PasswordChangeRequired,
    'Your password was set by an administrator: choose your own at POST /auth/password first',
  );
