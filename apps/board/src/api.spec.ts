import { refreshAfterMs } from './api.js';

const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** An access token as Vigil signs it, as far as the page reads it: iat and exp in its payload. */
const token = (iat: number, exp: number) => ['{"alg":"HS256"}', JSON.stringify({ sub: 'u', iat, exp })].map(base64url).join('.') + '.sig';

describe('when the board refreshes its access token', () => {
  it.each([
    [15 * 60, 14 * 60_000],
    [4 * 60, 3 * 60_000],
    [2 * 60, 90_000],
    [60, 45_000],
    [10, 7_500],
    [4, 5_000],
  ])('a token living %i s is refreshed after %i ms', (lifeSec, wait) => {
    // The stated expiry is off by an hour (a device with a wrong clock): the token's own iat and exp decide.
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    expect(refreshAfterMs({ accessToken: token(1_800_000_000, 1_800_000_000 + lifeSec), accessTokenExpiresAt: expiresAt })).toBe(wait);
  });

  it('falls back on the stated expiry when the token cannot be read', () => {
    const wait = refreshAfterMs({ accessToken: 'not-a-jwt', accessTokenExpiresAt: new Date(Date.now() + 10 * 60_000).toISOString() });
    expect(wait).toBeGreaterThan(9 * 60_000 - 1000);
    expect(wait).toBeLessThanOrEqual(9 * 60_000);
  });
});
