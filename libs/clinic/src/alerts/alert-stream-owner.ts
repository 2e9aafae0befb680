import type { Role } from '#platform';
import type { OwnerState } from './alert-stream-connection.js';

/**
 * Why a stream is ended: its access token expired; its account changed (deactivated, given
 * another role or a new password: the client must authenticate again); Vigil is stopping; or the
 * stream could not start (the database did not answer: reconnect with Last-Event-ID).
 */
export const STREAM_END_REASONS = ['token_expired', 'account_changed', 'shutdown', 'unavailable'] as const;
export type StreamEndReason = (typeof STREAM_END_REASONS)[number];

/** What a stream was opened with: its owner's role and credential then, and when its token expires (ms). */
export interface OwnerBaseline {
  role: Role;
  credential: string;
  tokenExpiresAt: number;
}

/** The reason to end a stream now, or null while its owner may still read it. */
export function streamEndReason(baseline: OwnerBaseline, current: OwnerState | undefined, now: number): StreamEndReason | null {
  if (now >= baseline.tokenExpiresAt) return 'token_expired';
  if (!current || !current.active) return 'account_changed';
  if (current.role !== baseline.role || current.credential !== baseline.credential) return 'account_changed';
  return null;
}
