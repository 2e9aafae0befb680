export { CONSENT_KINDS, ConsentForm, type ConsentKind } from './consent-form.entity.js';
export { PatientConsent, type ConsentMethod } from './patient-consent.entity.js';
export type { ConsentStatus } from './consent-status.js';
export type { ConsentFormView, ConsentView } from './consent-views.js';
export { ConsentService } from './consent.service.js';
export { ConsentFormsService, DEFAULT_VALID_MONTHS, type ConsentFormChanges, type NewConsentForm } from './consent-forms.service.js';
export { ConsentSignaturesService, type NewSignature } from './consent-signatures.service.js';
