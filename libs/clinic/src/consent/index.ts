export * from './consent-form.entity.js';
export * from './patient-consent.entity.js';
export * from './consent-status.js';
export * from './consent.service.js';
