export { CARE_STATUSES, CONTACT_PREFERENCES, Patient, type CareStatus, type ContactPreference } from './patient.entity.js';
export { PatientWeight, WEIGHT_UNITS, type WeightUnit } from './weight.entity.js';
export { CautionAcknowledgement, PatientAllergy, PatientMedication, ScreeningAnswer } from './screening.entity.js';
export {
  INTERACTING_CLASSES,
  MEDICATION_CLASSES,
  SCREENING_CODES,
  SCREENING_ITEMS,
  SCREENING_SEVERITIES,
  SEXES,
  type MedicationClass,
  type Sex,
} from './screening-items.js';
export { PatientsService } from './patients.service.js';
export { PatientCareService } from './care.service.js';
export { ScreeningService } from './screening.service.js';
export { WeightsService } from './weights.service.js';
export { WEIGHT_KG_RANGE } from './weights.js';
export { latestWeight } from './weight-records.js';
export { foldForSearch } from './search-text.js';
