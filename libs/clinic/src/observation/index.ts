export {
  ADVERSE_EVENT_OUTCOMES,
  ADVERSE_EVENT_SEVERITIES,
  AdverseEvent,
  DISSOCIATION_STATES,
  Discharge,
  GAIT_STATES,
  NAUSEA_STATES,
  ObservationCheck,
  VitalsAttestation,
  type AdverseEventOutcome,
  type AdverseEventSeverity,
} from './observation.entity.js';
export { ObservationService } from './observation.service.js';
export {
  ADVERSE_EVENT_KINDS,
  AdverseEventsService,
  adverseEventView,
  type AdverseEventUpdate,
  type AdverseEventView,
  type NewAdverseEvent,
} from './adverse-events.service.js';
export { DischargeService } from './discharge.service.js';
export { RemsService } from './rems.service.js';
export { REMS_FORM_STATUSES, type RemsFormStatus } from './rems-form.js';
