import type { Tx } from '#platform';
import type { SessionStatus } from './session-state.js';

/** One row of a session's timeline: a transition (from → to) or something charted during the session (from = to). */
export interface NewSessionEvent {
  session: { id: string; clinicId: string };
  /** The verb or what was charted (check-in, rate-change, emergency, observation-check, …). */
  type: string;
  from: SessionStatus | null;
  to: SessionStatus | null;
  at: Date;
  /** null for what Vigil records itself (the minimum observation has passed). */
  actorUserId: string | null;
  /** What the event records (JSON: dates become ISO strings). */
  data: Record<string, unknown>;
}

/** Appends one event to the session's timeline (session_events), in the caller's transaction: every writer of the timeline goes through here. */
export async function appendSessionEvent(tx: Tx, e: NewSessionEvent): Promise<void> {
  await tx.manager.query(
    `INSERT INTO session_events (clinic_id, session_id, type, from_status, to_status, occurred_at, actor_user_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [e.session.clinicId, e.session.id, e.type, e.from, e.to, e.at, e.actorUserId, JSON.stringify(e.data)],
  );
}
