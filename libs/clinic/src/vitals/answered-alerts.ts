import type { AlertMeasure } from '../alerts/index.js';
import type { VitalsSchedule } from '../protocols/index.js';
import type { ReadingValues } from './evaluate.js';

export interface AnsweredAlert {
  sessionId: string;
  measure: AlertMeasure;
  readingId: string;
  measuredAt: Date;
}

/**
 * clinical-rules.md section 3: the warnings a new reading answers, which then clear themselves:
 * "vitals overdue" by any reading; the REMS 40-minute blood pressure by a blood pressure measured
 * from the opening of the checkpoint window (the figure the check that raised it looks from).
 */
export function alertsAnsweredBy(
  reading: ReadingValues & { id: string; sessionId: string; measuredAt: Date },
  dosingStartedAt: Date | null,
  vitals: Pick<VitalsSchedule, 'checkpointsMin' | 'checkpointWindowMin'>,
): AnsweredAlert[] {
  const answered = (measure: AlertMeasure): AnsweredAlert => ({
    sessionId: reading.sessionId,
    measure,
    readingId: reading.id,
    measuredAt: reading.measuredAt,
  });
  const out = [answered('vitals-overdue')];
  const checkpoint = vitals.checkpointsMin[0];
  const hasBp = reading.systolic != null && reading.diastolic != null;
  if (hasBp && dosingStartedAt && checkpoint !== undefined) {
    const from = dosingStartedAt.getTime() + (checkpoint - vitals.checkpointWindowMin.before) * 60_000;
    if (reading.measuredAt.getTime() >= from) out.push(answered('rems-40-min-bp'));
  }
  return out;
}

/** A session's alert on one measure, as `unresolved` sets name it. */
export const alertKey = (sessionId: string, measure: string) => `${sessionId} ${measure}`;

/**
 * Of the alerts readings answer, those that can be there to clear: unresolved when the group's
 * sessions were locked (`unresolved`, with what the group raised). None can be raised meanwhile by
 * anyone else: raising an alert takes a key share of its session's row, which the lock holds off.
 */
export function alertsToClear(answered: AnsweredAlert[], unresolved: Set<string>): AnsweredAlert[] {
  return answered.filter((a) => unresolved.has(alertKey(a.sessionId, a.measure)));
}
