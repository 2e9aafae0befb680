export { CONSENT_KINDS, ConsentForm, type ConsentKind } from './consent-form.entity.js';
export { PatientConsent } from './patient-consent.entity.js';
export { ConsentService } from './consent.service.js';
export { ConsentFormsService } from './consent-forms.service.js';
export { ConsentSignaturesService } from './consent-signatures.service.js';
