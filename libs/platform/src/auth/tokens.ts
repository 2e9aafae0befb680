import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A refresh token is `<row id>.<secret>`; only the SHA-256 of the secret is stored. */
export function newRefreshSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseRefreshToken(token: string): { id: string; secret: string } | undefined {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,})$/.exec(token);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

export interface AccessClaims {
  sub: string;
  clinicId: string;
  role: string;
  typ: 'access';
  /** The login (refresh-token family) the token belongs to: ending the login ends the token. */
  sid: string;
  /** Added by jsonwebtoken when signing. */
  iat?: number;
  exp?: number;
}
