export * from './patient-thresholds.entity.js';
export * from './thresholds.service.js';
