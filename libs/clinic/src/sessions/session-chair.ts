import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '#platform';
import { Chair } from '../chairs/index.js';
import type { Session } from './session.entity.js';
import { ACTIVE_STATUSES } from './session-state.js';

/** Where the patient sits after check-in: the chair (when Vigil knows it) and the label the board shows. */
export interface SessionChair {
  chairId: string | null;
  chairLabel: string | null;
}

/**
 * The chair a check-in puts the session in: the chair named (`chairId`, an active chair of the
 * clinic; its name becomes the label), else a free label (`chairLabel`, a place Vigil has no chair
 * for, so no monitor binds to it), else the chair of the session's appointment. A chair holds one
 * session in progress at a time (409 CHAIR_IN_USE): a monitor's reading must belong to one session.
 */
export async function chairAtCheckIn(
  m: EntityManager,
  s: Session,
  input: { chairId?: string; chairLabel?: string },
): Promise<SessionChair> {
  if (input.chairId && input.chairLabel)
    throw DomainError.validation([{ field: 'chairLabel', message: 'the label is the chair’s name: send chairId or chairLabel, not both' }]);
  if (input.chairId) {
    const chair = await m.findOneBy(Chair, { id: input.chairId, clinicId: s.clinicId, active: true });
    if (!chair) throw DomainError.validation([{ field: 'chairId', message: 'no active chair of your clinic has this id' }]);
    await refuseIfOccupied(m, s, chair);
    return { chairId: chair.id, chairLabel: chair.name };
  }
  if (input.chairLabel) return { chairId: null, chairLabel: input.chairLabel };
  const booked = s.appointmentId ? await appointmentChair(m, s) : null;
  if (!booked) return { chairId: s.chairId, chairLabel: s.chairLabel };
  await refuseIfOccupied(m, s, booked);
  return { chairId: booked.id, chairLabel: booked.name };
}

/** The chair the session's appointment holds (read from scheduling's table: the sessions domain sits below it). */
async function appointmentChair(m: EntityManager, s: Session): Promise<Chair | null> {
  const [row] = await m.query<Array<{ chair_id: string }>>(`SELECT chair_id FROM appointments WHERE id = $1 AND clinic_id = $2`, [
    s.appointmentId,
    s.clinicId,
  ]);
  return row ? m.findOneBy(Chair, { id: row.chair_id, clinicId: s.clinicId }) : null;
}

async function refuseIfOccupied(m: EntityManager, s: Session, chair: Chair): Promise<void> {
  const [other] = await m.query<Array<{ id: string }>>(
    `SELECT id FROM sessions WHERE chair_id = $1 AND id <> $2 AND status = ANY($3::text[]) LIMIT 1`,
    [chair.id, s.id, [...ACTIVE_STATUSES]],
  );
  if (other)
    throw DomainError.conflict(ErrorCode.ChairInUse, `${chair.name} has a session in progress; check in to another chair`, [
      { field: 'chairId', message: `session ${other.id} is in progress in ${chair.name}` },
    ]);
}
