export {
  CLINIC_EVENTS,
  type BookingEffects,
  type ClinicEventMap,
  type ClinicEventName,
  type ClinicEventPayload,
  type ClinicEventReply,
  type ReadingsRecordedPayload,
  type SuicideRisk,
} from './clinic-events.js';
export { ClinicEventBus } from './clinic-event-bus.js';
export { OnClinicEvent, type ClinicEventHandler } from './on-clinic-event.decorator.js';
