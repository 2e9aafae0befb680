export { CONSENT_KINDS, ConsentForm, type ConsentKind } from './consent-form.entity.js';
export { CONSENT_METHODS, PatientConsent, type ConsentMethod } from './patient-consent.entity.js';
export { CONSENT_STATUSES, consentStatus, type ConsentStatus } from './consent-status.js';
export { CONSENT_FORM_STATUSES } from './consent-views.js';
export { ConsentService } from './consent.service.js';
export { ConsentFormsService } from './consent-forms.service.js';
export { ConsentSignaturesService } from './consent-signatures.service.js';
