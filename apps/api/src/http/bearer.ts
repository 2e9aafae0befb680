import type { FastifyRequest } from 'fastify';

/** The access token of `Authorization: Bearer <token>`, if the request sends one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
  return token || undefined;
}

/**
 * When the request's access token expires (ms since the epoch), read from its `exp` claim; the
 * guard has verified the token already. A token without one counts as expiring now.
 */
export function accessTokenExpiry(request: FastifyRequest): number {
  const payload = bearerToken(request)?.split('.')[1];
  try {
    const exp = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    if (typeof exp === 'number' && Number.isFinite(exp)) return exp * 1000;
  } catch {
    // not JSON: treated as expired
  }
  return Date.now();
}
