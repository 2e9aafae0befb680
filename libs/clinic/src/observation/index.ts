export { AdverseEvent, Discharge, ObservationCheck, VitalsAttestation } from './observation.entity.js';
export { ADVERSE_EVENT_KINDS, ObservationService } from './observation.service.js';
export { DischargeService } from './discharge.service.js';
export { RemsService } from './rems.service.js';
