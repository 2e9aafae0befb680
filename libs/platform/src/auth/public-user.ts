import type { Actor, Role } from '../context/request-context.js';
import type { User } from './user.entity.js';

/** What a signed-in user may read of an account: never its hash or sign-in bookkeeping. */
export interface PublicUser {
  id: string;
  clinicId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  /** The password was set by an administrator: until the user changes it, only /auth/me and /auth/password answer. */
  passwordChangeRequired: boolean;
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
    passwordChangeRequired: u.passwordChangeRequired,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    version: u.version,
  };
}

/** The user as the actor of the audit rows about their own sign-in and tokens. */
export const actorOf = (u: User): Actor => ({ userId: u.id, clinicId: u.clinicId, role: u.role });
