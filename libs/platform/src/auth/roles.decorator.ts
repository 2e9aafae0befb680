import { SetMetadata } from '@nestjs/common';
import type { Role } from '../context/request-context.js';

export const ROLES_KEY = 'vigil:roles';
export const PUBLIC_KEY = 'vigil:public';
export const TEMPORARY_PASSWORD_KEY = 'vigil:temporary-password';

/** The roles that may call this route (api.md's roles table). Every route has this or @Public. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Any signed-in user of any role. */
export const AnyRole = (): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, ['nurse', 'anesthesiologist', 'admin']);

/** No token needed (login, refresh, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** Answers a user whose password an administrator set and who has not changed it yet (who am I, change my password). */
export const AllowsTemporaryPassword = (): MethodDecorator & ClassDecorator => SetMetadata(TEMPORARY_PASSWORD_KEY, true);
