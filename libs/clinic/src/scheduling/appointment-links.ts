import type { EntityManager } from 'typeorm';
import { DomainError } from '#platform';
import type { AppointmentStatus } from './scheduling.entity.js';

/** How appointments keep in step with what happens to the patient elsewhere (sessions, consent, care). */

/** Links a booked appointment to the session created for it (same patient, same clinic, not yet linked), else 400 naming `appointmentId`. */
export async function linkAppointment(
  m: EntityManager,
  clinicId: string,
  appointmentId: string,
  patientId: string,
  sessionId: string,
): Promise<void> {
  const result = await m.query<[unknown[], number]>(
    `UPDATE appointments SET session_id = $4 WHERE id = $1 AND clinic_id = $2 AND patient_id = $3 AND session_id IS NULL AND status IN ('booked', 'tentative') RETURNING id`,
    [appointmentId, clinicId, patientId, sessionId],
  );
  if (result[1] !== 1)
    throw DomainError.validation([{ field: 'appointmentId', message: 'no open appointment of this patient has this id' }]);
}

/** Keeps an appointment in step with its session (checked in, completed, cancelled, no-show). */
export async function followSession(m: EntityManager, sessionId: string, status: AppointmentStatus): Promise<void> {
  await m.query(
    `UPDATE appointments SET status = $2 WHERE session_id = $1 AND status NOT IN ('cancelled', 'no-show', 'completed', 'aborted')`,
    [sessionId, status],
  );
}

/** Cancels every future booked or tentative appointment of the patient (their chairs are free again); returns their ids. */
export async function cancelFutureAppointments(
  m: EntityManager,
  patientId: string,
  from: Date,
  cancel: { by: string; reason: string },
): Promise<string[]> {
  const [rows] = await m.query<[{ id: string }[], number]>(
    `UPDATE appointments SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4
      WHERE patient_id = $1 AND starts_at > $2 AND status IN ('booked', 'tentative') RETURNING id`,
    [patientId, from, cancel.by, cancel.reason],
  );
  return rows.map((r) => r.id);
}

/** Every future appointment of the patient is flagged for the administrators (consent withdrawn, discharged from care). */
export async function flagFutureAppointments(m: EntityManager, patientId: string, flag: string, from: Date): Promise<number> {
  const rows = await m.query<[unknown[], number]>(
    `UPDATE appointments SET flags = array_append(flags, $3) WHERE patient_id = $1 AND starts_at > $2 AND status IN ('booked', 'tentative') AND NOT ($3 = ANY(flags)) RETURNING id`,
    [patientId, from, flag],
  );
  return rows[1];
}
