import type { EntityManager } from 'typeorm';
import { DomainError, type ErrorCode } from '#platform';
import { Appointment } from './scheduling.entity.js';

/** How many of the bookings a refusal lists (its message says how many there are in all). */
export const LISTED_BOOKINGS = 5;

/** The clinic's open bookings (booked or proposed) starting after `now`, soonest first; of one chair when given. */
export function futureBookings(m: EntityManager, clinicId: string, now: Date, chairId?: string): Promise<Appointment[]> {
  const q = m
    .createQueryBuilder(Appointment, 'a')
    .where(`a.clinic_id = :clinicId AND a.starts_at > :now AND a.status IN ('booked', 'tentative')`, { clinicId, now });
  if (chairId) q.andWhere('a.chair_id = :chairId', { chairId });
  return q.orderBy('a.starts_at', 'ASC').addOrderBy('a.id', 'ASC').getMany();
}

/**
 * 409 `code` for a change the clinic's future bookings stand in the way of: `message` after how many
 * there are, and the first LISTED_BOOKINGS of them, each with its id, start, patient and chair and
 * what `describe` says of it.
 */
export function refusedForBookings(code: ErrorCode, bookings: Appointment[], message: string, describe: (a: Appointment) => string) {
  const count = `${bookings.length} future booking${bookings.length === 1 ? '' : 's'}`;
  const listed = bookings.length > LISTED_BOOKINGS ? ` (the first ${LISTED_BOOKINGS} listed)` : '';
  return DomainError.conflict(
    code,
    `${count} ${message}${listed}`,
    bookings.slice(0, LISTED_BOOKINGS).map((a) => ({
      code: 'FUTURE_BOOKING',
      message: describe(a),
      appointmentId: a.id,
      startsAt: a.startsAt.toISOString(),
      patientId: a.patientId,
      chairId: a.chairId,
      status: a.status,
    })),
  );
}
