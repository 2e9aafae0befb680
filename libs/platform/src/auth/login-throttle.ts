import type { DataSource } from 'typeorm';
import { addressLoginLimit } from '../config/load-config.js';
import type { VigilConfig } from '../config/vigil-config.js';
import type { Tx } from '../database/transaction.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** Why a login attempt is held back before its password is checked. */
export type Hold =
  | { reason: 'rate_limited'; scope: 'address' | 'account'; retryAfterSec: number }
  | { reason: 'backoff'; retryAfterSec: number; failures: number };

/** One answer for every attempt held back (rate limit or back-off, known or unknown email); only Retry-After varies. */
export const heldBack = (hold: Hold) =>
  new DomainError(429, ErrorCode.RateLimited, 'Too many login attempts; wait before trying again (see Retry-After)', [], {
    'Retry-After': String(hold.retryAfterSec),
  });

/** What a wrong password did to the (address, account) pair: its failures in a row, and the wait it now imposes. */
export interface FailureCount {
  failures: number;
  waitUntil: Date | null;
}

const WINDOW = "interval '1 minute'";

/**
 * The login throttle, kept in PostgreSQL (table `login_throttle`) so it holds across API
 * processes. Two counters per attempt, both moved by one statement that returns them:
 *
 * - per client address, all accounts together (LOGIN_ADDRESS_RATE_LIMIT_PER_MIN): one address
 *   spraying guesses over many accounts;
 * - per (address, account) pair (LOGIN_RATE_LIMIT_PER_MIN), which also carries the pair's failed
 *   logins in a row: from LOGIN_MAX_FAILURES on, each further attempt from that address on that
 *   account waits LOGIN_BACKOFF_BASE_SEC, doubled per failure, up to LOGIN_LOCK_MIN minutes.
 *
 * The account is the email as typed, so an unknown email is held back exactly as a known one, and
 * a stranger's guesses from another address never hold back the real user.
 */
export class LoginThrottle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: VigilConfig,
  ) {}

  /** Counts the attempt (atomically) and says whether it must wait (a full minute once over a rate limit); undefined when it may go on. */
  async admit(address: string, email: string, now: Date): Promise<Hold | undefined> {
    const rows: Array<{ scope: string; attempts: number; failures: number; wait_until: Date | null }> = await this.dataSource.query(
      `INSERT INTO login_throttle AS t (scope, address, email, window_started_at, attempts, updated_at)
         VALUES ('account', $1, $2, $3, 1, $3), ('address', $1, '', $3, 1, $3)
         ON CONFLICT (scope, address, email) DO UPDATE SET
           attempts = CASE WHEN t.window_started_at > $3::timestamptz - ${WINDOW} THEN t.attempts + 1 ELSE 1 END,
           window_started_at = CASE WHEN t.window_started_at > $3::timestamptz - ${WINDOW} THEN t.window_started_at ELSE $3 END,
           updated_at = $3
         RETURNING scope, attempts, failures, wait_until`,
      [address, email, now],
    );
    const account = rows.find((r) => r.scope === 'account');
    const perAddress = rows.find((r) => r.scope === 'address');
    if (perAddress && perAddress.attempts > addressLoginLimit(this.config))
      return { reason: 'rate_limited', scope: 'address', retryAfterSec: 60 };
    if (account && account.attempts > this.config.LOGIN_RATE_LIMIT_PER_MIN)
      return { reason: 'rate_limited', scope: 'account', retryAfterSec: 60 };
    const waitUntil = account?.wait_until ? new Date(account.wait_until) : null;
    if (account && waitUntil && waitUntil > now)
      return {
        reason: 'backoff',
        failures: account.failures,
        retryAfterSec: Math.max(1, Math.ceil((waitUntil.getTime() - now.getTime()) / 1000)),
      };
    return undefined;
  }

  /**
   * A wrong password from `address` on `email`: one more failure in a row (a failure more than a
   * day after the previous one starts again from one), and from LOGIN_MAX_FAILURES on the wait.
   */
  async failed(tx: Tx, address: string, email: string, now: Date): Promise<FailureCount> {
    const [row]: Array<{ failures: number }> = await tx.manager.query(
      `INSERT INTO login_throttle AS t (scope, address, email, window_started_at, attempts, failures, failed_at, updated_at)
       VALUES ('account', $1, $2, $3, 1, 1, $3, $3)
       ON CONFLICT (scope, address, email) DO UPDATE SET
         failures = CASE WHEN t.failed_at > $3::timestamptz - interval '1 day' THEN t.failures + 1 ELSE 1 END,
         failed_at = $3, updated_at = $3
       RETURNING failures`,
      [address, email, now],
    );
    const failures = row?.failures ?? 1;
    const over = failures - this.config.LOGIN_MAX_FAILURES;
    if (over < 0) return { failures, waitUntil: null };
    const waitSec = Math.min(this.config.LOGIN_LOCK_MIN * 60, this.config.LOGIN_BACKOFF_BASE_SEC * 2 ** Math.min(over, 20));
    const waitUntil = new Date(now.getTime() + waitSec * 1000);
    await tx.manager.query(`UPDATE login_throttle SET wait_until = $3 WHERE scope = 'account' AND address = $1 AND email = $2`, [
      address,
      email,
      waitUntil,
    ]);
    return { failures, waitUntil };
  }

  /** A successful login from `address`: the pair starts afresh. */
  async succeeded(tx: Tx, address: string, email: string): Promise<void> {
    await tx.manager.query(`DELETE FROM login_throttle WHERE scope = 'account' AND address = $1 AND email = $2`, [address, email]);
  }

  /**
   * A new password, or an administrator's unlock: every address starts afresh on this account.
   * Answers how many addresses were counted and the latest wait one of them was under.
   */
  async forgetAccount(tx: Tx, email: string): Promise<{ addresses: number; waitUntil: Date | null }> {
    const [rows]: [Array<{ wait_until: Date | null }>, number] = await tx.manager.query(
      `DELETE FROM login_throttle WHERE scope = 'account' AND email = $1 RETURNING wait_until`,
      [email],
    );
    const waits = rows.flatMap((r) => (r.wait_until ? [new Date(r.wait_until).getTime()] : []));
    return { addresses: rows.length, waitUntil: waits.length ? new Date(Math.max(...waits)) : null };
  }

  /** Forgets counters untouched for a day (their failures would start again from one anyway). */
  async sweep(now: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM login_throttle WHERE updated_at < $1::timestamptz - interval '1 day' AND (wait_until IS NULL OR wait_until < $1)`,
      [now],
    );
  }
}
