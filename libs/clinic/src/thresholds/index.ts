export * from './clinic-settings.entity.js';
export * from './clinic-settings.service.js';
export * from './patient-thresholds.entity.js';
export * from './thresholds.js';
export * from './thresholds.service.js';
