export { deviceSystem, LOINC, MDC, mrnSystem, PROFILE, VIGIL_ASSESSMENT } from './codes.js';
export { FHIR_ID, type FhirResource } from './resource.js';
export { mrnIdentifier, toFhirPatient, type PatientRow } from './patient-resource.js';
export {
  hasKind,
  KIND_SPECS,
  observationId,
  observationsOf,
  toVitalObservation,
  VITAL_KINDS,
  type VitalKind,
  type VitalRow,
} from './vital-observations.js';
export { OBSERVATION_KINDS, parseObservationId, type ObservationKind } from './observation-kinds.js';
export { searchset, type SearchPage } from './bundle.js';
export { capabilityStatement, OPERATIONS } from './capability.js';
export { FhirObservationsService } from './fhir-observations.service.js';
export { FhirPatientsService } from './fhir-patients.service.js';
export { FhirTablesService } from './fhir-tables.service.js';
export { TABLE_TYPES, type TableType } from './resource-tables.js';
export { EXPORT_STATUSES, FhirExport, type ExportStatus, type TypeProgress } from './fhir-export.entity.js';
export {
  EXPORT_TYPES,
  OUTPUT_FORMATS,
  PATIENT_TYPES,
  parametersOf,
  parseExportRequest,
  requireRespondAsync,
  type ExportRequest,
  type ExportType,
} from './export-request.js';
export { exportRoot, NDJSON, outputsOf } from './export-files.js';
export { FhirExportsService, EXPORTS_IN_FLIGHT_MAX } from './fhir-exports.service.js';
export { EXPORT_ATTEMPTS } from './fhir-export.runner.js';
export {
  COUNT_DEFAULT,
  COUNT_MAX,
  INCLUDES,
  parseSearch,
  patientIdOf,
  SEARCH_PARAMS,
  type ParsedSearch,
  type Query,
  type SearchableType,
} from './search-params.js';
