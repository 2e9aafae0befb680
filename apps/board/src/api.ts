/** The board's calls to Vigil's API: same origin, the access token in the Authorization header, refreshed as it expires. */

export const API = '/api/v1';
const REFRESH_KEY = 'vigil.board.refresh';

export interface User {
  id: string;
  name: string;
  role: 'nurse' | 'anesthesiologist' | 'admin';
}

interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: User;
}

export interface Problem {
  field?: string;
  code?: string;
  message: string;
  /** A rule of the clinic an anesthesiologist may pass (a soft stop). */
  overridable?: boolean;
}

/** An answer of the API in its error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Problem[],
  ) {
    super(message);
  }
}

/**
 * Who is signed in, and their tokens: the access token in memory only, the refresh token in this
 * tab's session storage (a reload stays signed in, closing the tab signs out). Refreshes are
 * shared: two calls that find the token expired exchange the refresh token once.
 */
export class Api {
  user: User | null = null;
  private access: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: number | undefined;
  /** Called when the sign-in ended (refused refresh, account changed, sign-out). */
  onSignedOut: (why: string) => void = () => {};

  get token(): string | null {
    return this.access;
  }

  async signIn(email: string, password: string): Promise<void> {
    const res = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw await errorOf(res);
    this.keep((await res.json()) as Tokens);
  }

  /** Signs in again from the refresh token this tab kept, if any. */
  async resume(): Promise<boolean> {
    return sessionStorage.getItem(REFRESH_KEY) ? this.refresh() : false;
  }

  /** Exchanges the refresh token for a new pair; false (and signed out) when it is refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.exchange().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async exchange(): Promise<boolean> {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    try {
      const res = await fetch(`${API}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (res.ok) {
        this.keep((await res.json()) as Tokens);
        return true;
      }
      if (res.status === 401 || res.status === 400) {
        this.forget();
        this.onSignedOut(ENDED);
      }
      return false;
    } catch {
      return false;
    }
  }

  /** Signing out here: the login ends (its refresh token stops working) and the sign-in form shows. */
  signOut(): Promise<void> {
    return this.end('');
  }

  /**
   * The sign-in is over (`why` says so on the sign-in form): the tokens forgotten, the login ended
   * if it still lives (best effort: it may be over already, or the network gone).
   */
  async end(why: string): Promise<void> {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    this.forget();
    if (refreshToken)
      await fetch(`${API}/auth/logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      }).catch(() => undefined);
    this.onSignedOut(why);
  }

  /** A call with the access token; an expired one is refreshed and the call made again once. */
  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${API}${path}`, {
        method,
        headers: {
          ...(this.access && { Authorization: `Bearer ${this.access}` }),
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
      });
      if (res.status === 401 && attempt === 0 && (await this.refresh())) continue;
      if (!res.ok) throw await errorOf(res);
      return (res.status === 204 ? undefined : await res.json()) as T;
    }
  }

  private keep(tokens: Tokens): void {
    this.access = tokens.accessToken;
    this.user = tokens.user;
    sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.refresh(), refreshAfterMs(tokens));
  }

  private forget(): void {
    window.clearTimeout(this.timer);
    this.access = null;
    this.user = null;
    sessionStorage.removeItem(REFRESH_KEY);
  }
}

/** Why the sign-in form shows when the login ended without this page signing out. */
export const ENDED = 'Your sign-in has ended (signed out elsewhere, or the password changed); please sign in again.';

/**
 * When to refresh an access token: a minute before it expires (a quarter of its life for tokens
 * shorter than four minutes), counted from its own iat and exp, so a device whose clock is wrong
 * refreshes on time all the same.
 */
export function refreshAfterMs(tokens: { accessToken: string; accessTokenExpiresAt: string }): number {
  let lifeMs = Date.parse(tokens.accessTokenExpiresAt) - Date.now();
  try {
    const claims = JSON.parse(atob(tokens.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as {
      iat?: number;
      exp?: number;
    };
    if (typeof claims.iat === 'number' && typeof claims.exp === 'number') lifeMs = (claims.exp - claims.iat) * 1000;
  } catch {
    // not a JWT we can read: its stated expiry
  }
  return Math.max(5_000, lifeMs - Math.min(60_000, lifeMs / 4));
}

export async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { code?: string; message?: string; details?: Problem[] };
    return new ApiError(res.status, body.code ?? 'ERROR', body.message ?? res.statusText, body.details ?? []);
  } catch {
    return new ApiError(res.status, 'ERROR', `The server answered ${res.status}`, []);
  }
}
