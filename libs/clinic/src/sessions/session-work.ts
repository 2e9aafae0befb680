import { JobName, type ScheduleWork } from '#platform';

/** "Discharge may be assessed": the minimum observation (`minutes`) counted from `from` has passed. */
export function observationEndWork(s: { id: string; clinicId: string }, from: Date, minutes: number): ScheduleWork {
  return { kind: JobName.ObservationComplete, subjectId: s.id, dueAt: new Date(from.getTime() + minutes * 60_000), clinicId: s.clinicId };
}

/** Spravato label: blood pressure at the protocol's first checkpoint (40 minutes after the first device). */
export function remsBpCheckWork(s: { id: string; clinicId: string }, from: Date, checkpointMin: number): ScheduleWork {
  return { kind: JobName.RemsBpCheck, subjectId: s.id, dueAt: new Date(from.getTime() + checkpointMin * 60_000), clinicId: s.clinicId };
}
