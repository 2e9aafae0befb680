export { AdverseEvent, Discharge, ObservationCheck, VitalsAttestation } from './observation.entity.js';
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
