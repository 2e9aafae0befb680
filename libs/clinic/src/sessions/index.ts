export {
  ACTIVE_STATUSES,
  AWAITING_DISCHARGE_STATUSES,
  DOSED_STATUSES,
  DOSING_STATUSES,
  isDosed,
  isDosing,
  LATE_CHARTING_MAX_MIN,
  phaseOf,
  READING_PHASES,
  SESSION_STATUSES,
  TREATED_STATUSES,
  VITALS_STATUSES,
  type ReadingPhase,
  type SessionStatus,
  type SessionVerb,
} from './session-state.js';
export {
  CSSRS_SCREENER_RESULTS,
  DoseAdministration,
  PREGNANCY_STATUSES,
  Session,
  SessionEvent,
  TRANSPORT_HOME,
  type PreChecks,
  type StartOverride,
} from './session.entity.js';
export { appendSessionEvent, type NewSessionEvent } from './session-timeline.js';
export { sessionView, type SessionView } from './session-view.js';
export type { CheckInInput, DoseChangeInput, EndDosingInput, PreChecksInput, StartInput, TransitionInput } from './session-inputs.js';
export { SessionsService, type TransitionEffect } from './sessions.service.js';
export { SessionStartService } from './session-start.service.js';
export { DoseChangesService } from './dose-changes.service.js';
export { SessionReactions } from './session-reactions.js';
