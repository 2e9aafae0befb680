export { CONTACT_PREFERENCES, Patient, type CareStatus, type ContactPreference } from './patient.entity.js';
export { PatientWeight, type WeightUnit } from './weight.entity.js';
export { CautionAcknowledgement, PatientAllergy, PatientMedication, ScreeningAnswer } from './screening.entity.js';
export {
  INTERACTING_CLASSES,
  MEDICATION_CLASSES,
  SCREENING_CODES,
  SCREENING_ITEMS,
  SEXES,
  screeningItem,
  type MedicationClass,
  type ScreeningItem,
  type ScreeningSeverity,
  type Sex,
} from './screening-items.js';
export { PatientsService, type NewPatient, type PatientChanges, type PatientView } from './patients.service.js';
export { PatientCareService } from './care.service.js';
export { ScreeningService, type ScreeningInput, type ScreeningStatus, type ScreeningView } from './screening.service.js';
export { WeightsService } from './weights.service.js';
export { WEIGHT_KG_RANGE, toKg, type NewWeight, type WeightView } from './weights.js';
export { latestWeight } from './weight-records.js';
