import { JobName, type ScheduleWork } from '#platform';
import type { VitalsSchedule } from '../protocols/index.js';
import { isDosing, type SessionStatus } from '../sessions/index.js';

/** How often readings are due in this state: while the drug is given, the protocol's dosing interval (else its observation one). */
export function readingEveryMin(
  schedule: Pick<VitalsSchedule, 'duringDosingEveryMin' | 'observationEveryMin'>,
  status: SessionStatus,
): number {
  return isDosing(status) ? (schedule.duringDosingEveryMin ?? schedule.observationEveryMin) : schedule.observationEveryMin;
}

/** The "vitals overdue" check of a session: the next reading is due `everyMin` after `from`, late by more than `graceMin`. */
export function overdueWork(s: { id: string; clinicId: string }, from: Date, everyMin: number, graceMin: number): ScheduleWork {
  return {
    kind: JobName.VitalsOverdue,
    subjectId: s.id,
    dueAt: new Date(from.getTime() + (everyMin + graceMin) * 60_000),
    clinicId: s.clinicId,
  };
}

/**
 * What a session's move does to its "vitals overdue" check: the start, the end of dosing and an abort
 * set the next reading's due time from the moment of the move; a cancel or a discharge ends the check.
 * (A pause or a resume leaves the check set by the last reading as it is.)
 */
export const OVERDUE_ON_VERB: Readonly<Record<string, 'schedule' | 'cancel'>> = {
  start: 'schedule',
  'end-dosing': 'schedule',
  abort: 'schedule',
  cancel: 'cancel',
  discharge: 'cancel',
};
