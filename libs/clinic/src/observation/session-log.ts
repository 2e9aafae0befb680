import type { EntityManager } from 'typeorm';
import { SessionEvent, type Session } from '../sessions/index.js';

/** A line of the session's timeline that does not change its status (a check, an adverse event, an attestation…). */
export function logSessionEvent(
  m: EntityManager,
  s: Pick<Session, 'id' | 'clinicId' | 'status'>,
  type: string,
  occurredAt: Date,
  actorUserId: string | null,
  data: Record<string, unknown>,
): Promise<unknown> {
  return m.insert(SessionEvent, {
    clinicId: s.clinicId,
    sessionId: s.id,
    type,
    fromStatus: s.status,
    toStatus: s.status,
    occurredAt,
    actorUserId,
    data: data as never,
  });
}
