/**
 * The session lifecycle (issue: sessions, vitals, alerts):
 * scheduled → checked_in → ready → dosing ⇄ paused → observation → discharged, with cancelled and
 * no_show before dosing, and aborted (dosing stopped early: observed before discharge).
 */
export const SESSION_STATUSES = [
  'scheduled',
  'checked_in',
  'ready',
  'dosing',
  'paused',
  'observation',
  'aborted',
  'discharged',
  'cancelled',
  'no_show',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const TRANSITIONS = {
  'check-in': { from: ['scheduled'], to: 'checked_in' },
  'pre-checks': { from: ['checked_in', 'ready'], to: 'ready' },
  start: { from: ['ready'], to: 'dosing' },
  pause: { from: ['dosing'], to: 'paused' },
  resume: { from: ['paused'], to: 'dosing' },
  'end-dosing': { from: ['dosing', 'paused'], to: 'observation' },
  abort: { from: ['dosing', 'paused'], to: 'aborted' },
  discharge: { from: ['observation', 'aborted'], to: 'discharged' },
  cancel: { from: ['scheduled', 'checked_in', 'ready'], to: 'cancelled' },
  'no-show': { from: ['scheduled'], to: 'no_show' },
} as const satisfies Record<string, { from: readonly SessionStatus[]; to: SessionStatus }>;

export type SessionVerb = keyof typeof TRANSITIONS;

/** The state `verb` leads to from `status`, or null when the lifecycle does not allow it. */
export function nextStatus(status: SessionStatus, verb: SessionVerb): SessionStatus | null {
  const t = TRANSITIONS[verb];
  return (t.from as readonly SessionStatus[]).includes(status) ? t.to : null;
}

/** States in which the patient is in the clinic and monitored. */
export const ACTIVE_STATUSES: readonly SessionStatus[] = ['checked_in', 'ready', 'dosing', 'paused', 'observation', 'aborted'];
/** States in which readings are accepted (and a risk found in the clinic becomes an alert on the session). */
export const VITALS_STATUSES: readonly SessionStatus[] = ACTIVE_STATUSES;
/** States in which the drug is being given: the pump rate may change, readings are of the dosing phase. */
export const DOSING_STATUSES: readonly SessionStatus[] = ['dosing', 'paused'];
/**
 * States of a dosed patient not yet discharged: vitals are due on a schedule (the "vitals overdue"
 * check), observation checks are recorded, the REMS blood-pressure checkpoint applies.
 */
export const DOSED_STATUSES: readonly SessionStatus[] = [...DOSING_STATUSES, 'observation', 'aborted'];

/** Dosing is over (ended or stopped early) and the patient awaits discharge: vitals may be attested. */
export const AWAITING_DISCHARGE_STATUSES: readonly SessionStatus[] = TRANSITIONS.discharge.from;
/** A treatment was given and its dosing is over, discharged or not (an earlier treatment, on the REMS form). */
export const TREATED_STATUSES: readonly SessionStatus[] = [...AWAITING_DISCHARGE_STATUSES, 'discharged'];

export const isDosing = (status: SessionStatus): boolean => DOSING_STATUSES.includes(status);
export const isDosed = (status: SessionStatus): boolean => DOSED_STATUSES.includes(status);

export const READING_PHASES = ['pre-dose', 'dosing', 'observation'] as const;
export type ReadingPhase = (typeof READING_PHASES)[number];

/**
 * The phase of a reading measured at `measuredAt` (clinical-rules.md section 3), whenever it arrives:
 * pre-dose before dosing started, dosing from then until dosing ended (or still dosing, paused
 * included), observation from the end of dosing (ended or stopped early).
 */
export function phaseOf(s: { dosingStartedAt: Date | null; dosingEndedAt: Date | null }, measuredAt: Date): ReadingPhase {
  if (!s.dosingStartedAt || measuredAt < s.dosingStartedAt) return 'pre-dose';
  if (!s.dosingEndedAt || measuredAt < s.dosingEndedAt) return 'dosing';
  return 'observation';
}

/** Charting late (issue: up to 15 minutes back, never before the previous event, never ahead). */
export const LATE_CHARTING_MAX_MIN = 15;
const FUTURE_TOLERANCE_MS = 60_000;

export function occurredAtProblem(occurredAt: Date, now: Date, previousEventAt: Date | null): string | null {
  if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return 'must not be in the future';
  if (occurredAt.getTime() < now.getTime() - LATE_CHARTING_MAX_MIN * 60_000)
    return `may be at most ${LATE_CHARTING_MAX_MIN} minutes in the past`;
  if (previousEventAt && occurredAt.getTime() < previousEventAt.getTime())
    return `must not be before the previous event (${previousEventAt.toISOString()})`;
  return null;
}
