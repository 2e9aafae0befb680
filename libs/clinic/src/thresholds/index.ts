export { effectiveThresholds } from './effective-thresholds.js';
export { PatientThresholds } from './patient-thresholds.entity.js';
export { ThresholdsService, type PatientThresholdsView, type ThresholdsView } from './thresholds.service.js';
export { ThresholdChecks } from './threshold-checks.js';
