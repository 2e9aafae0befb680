export { AuthService } from './auth.service.js';
export { hashPassword, verifyPassword } from './password.js';
export { toPublicUser, type PublicUser } from './public-user.js';
export { RefreshToken } from './refresh-token.entity.js';
export { AllowsTemporaryPassword, AnyRole, Public, PUBLIC_KEY, Roles, ROLES_KEY, TEMPORARY_PASSWORD_KEY } from './roles.decorator.js';
export type { SessionTokens } from './session-tokens.service.js';
export { User } from './user.entity.js';
export { PasswordsService, type PasswordReset, type Unlocked } from './passwords.service.js';
export { UsersService, type ClinicSummary, type NewUser, type StaffMember, type UserChanges, type UserFilter } from './users.service.js';
