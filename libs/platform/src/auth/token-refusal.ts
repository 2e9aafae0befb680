import { ROLES, type Role } from '../context/request-context.js';
import { parseRefreshToken, type AccessClaims } from './tokens.js';

/** Why an access token was refused, as its audit row names it. */
export type AccessRefusalReason =
  | 'malformed'
  | 'alg_none'
  | 'unsupported_alg'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_token_type'
  | 'unknown_user'
  | 'inactive'
  | 'no_expiry'
  | 'lifetime_too_long'
  | 'no_session'
  | 'login_ended';

/** What a token says about who sent it, kept only where each value has the shape Vigil issues. */
export interface ClaimedIdentity {
  sub?: string;
  clinicId?: string;
  role?: Role;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The identity a token's payload claims, unverified. Only UUIDs and known roles are kept: the
 * payload is the sender's free text, and a claim could carry a token the trail must never hold.
 */
export function claimedIdentity(token: string): ClaimedIdentity | undefined {
  const payload = decodePart(token.split('.')[1]);
  if (!payload) return undefined;
  const claimed: ClaimedIdentity = {};
  if (typeof payload['sub'] === 'string' && UUID.test(payload['sub'])) claimed.sub = payload['sub'];
  if (typeof payload['clinicId'] === 'string' && UUID.test(payload['clinicId'])) claimed.clinicId = payload['clinicId'];
  if (ROLES.includes(payload['role'] as Role)) claimed.role = payload['role'] as Role;
  return Object.keys(claimed).length > 0 ? claimed : undefined;
}

/**
 * Refusals read from the token's header alone, before any signature is checked: `alg: none` in
 * any spelling, another algorithm than HS256 (named when it looks like one), or something that is
 * not a JWT at all (a refresh token sent as an access token is named as such). Undefined when the
 * header asks for HS256.
 */
export function headerRefusal(token: string): { reason: AccessRefusalReason; alg?: string } | undefined {
  const header = decodePart(token.split('.')[0]);
  if (!header) return { reason: parseRefreshToken(token) ? 'wrong_token_type' : 'malformed' };
  const alg = typeof header['alg'] === 'string' ? header['alg'] : '';
  if (alg.toLowerCase() === 'none') return { reason: 'alg_none' };
  if (alg === 'HS256') return undefined;
  return /^[A-Za-z0-9]{2,10}$/.test(alg) ? { reason: 'unsupported_alg', alg } : { reason: 'unsupported_alg' };
}

/**
 * A signed access token Vigil would not have issued: without `exp`, living longer than
 * ACCESS_TOKEN_TTL_MIN, or naming no login (`sid`). Undefined when it is fine.
 */
export function claimsRefusal(claims: AccessClaims, ttlMin: number, nowSec: number): AccessRefusalReason | undefined {
  if (typeof claims.exp !== 'number') return 'no_expiry';
  const issued = typeof claims.iat === 'number' ? claims.iat : nowSec;
  // A few seconds of leeway for the clock of another API process.
  if (claims.exp - issued > ttlMin * 60 || claims.exp - nowSec > ttlMin * 60 + 5) return 'lifetime_too_long';
  if (typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return 'no_session';
  return undefined;
}

/**
 * The reason for an error of jsonwebtoken's `verify`, and whether the signature had checked out
 * (it checks the signature before `nbf` and `exp`).
 */
export function verifyRefusal(err: Error): { reason: AccessRefusalReason; signed: boolean } {
  if (err.name === 'TokenExpiredError') return { reason: 'expired', signed: true };
  if (err.name === 'NotBeforeError') return { reason: 'not_yet_valid', signed: true };
  if (err.message === 'invalid signature') return { reason: 'bad_signature', signed: false };
  return { reason: 'malformed', signed: false };
}
