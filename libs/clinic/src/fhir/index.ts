export { deviceSystem, LOINC, MDC, mrnSystem, PROFILE } from './codes.js';
export { FHIR_ID, type FhirResource } from './resource.js';
export { mrnIdentifier, toFhirPatient, type PatientRow } from './patient-resource.js';
export {
  hasKind,
  KIND_SPECS,
  observationId,
  observationsOf,
  parseObservationId,
  toVitalObservation,
  VITAL_KINDS,
  type VitalKind,
  type VitalRow,
} from './vital-observations.js';
