import { SetMetadata } from '@nestjs/common';
import type { Role } from '../context/request-context.js';

export const ROLES_KEY = 'vigil:roles';
export const PUBLIC_KEY = 'vigil:public';

/** The roles that may call this route (api.md's roles table). Every route has this or @Public. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Any signed-in user of any role. */
export const AnyRole = (): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, ['nurse', 'anesthesiologist', 'admin']);

/** No token needed (login, refresh, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
