import type { ConsentForm, ConsentKind } from './consent-form.entity.js';
import { consentStatus, type ConsentStatus } from './consent-status.js';
import type { ConsentMethod, PatientConsent } from './patient-consent.entity.js';

/** A consent form text: editable while a draft, fixed once published; retired: signed no more. */
export const CONSENT_FORM_STATUSES = ['draft', 'published', 'retired'] as const;

export interface ConsentFormView {
  id: string;
  kind: ConsentKind;
  version: number;
  title: string;
  body: string;
  requiredForProtocols: string[];
  validMonths: number;
  requiresReconsent: boolean;
  status: (typeof CONSENT_FORM_STATUSES)[number];
  publishedAt: string | null;
  retiredAt: string | null;
  retiredBy: string | null;
  retirementReason: string | null;
  createdBy: string;
  createdAt: string;
  revision: number;
}

export interface ConsentView {
  id: string;
  patientId: string;
  formId: string;
  kind: ConsentKind;
  formVersion: number;
  status: ConsentStatus;
  signedByName: string;
  signedAt: string;
  method: ConsentMethod;
  witnessUserId: string;
  prescriberUserId: string | null;
  prescriberSignedAt: string | null;
  expiresAt: string;
  recordedBy: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

export const formView = (f: ConsentForm): ConsentFormView => ({
  id: f.id,
  kind: f.kind,
  version: f.version,
  title: f.title,
  body: f.body,
  requiredForProtocols: f.requiredForProtocols,
  validMonths: f.validMonths,
  requiresReconsent: f.requiresReconsent,
  status: f.retiredAt ? 'retired' : f.publishedAt ? 'published' : 'draft',
  publishedAt: f.publishedAt?.toISOString() ?? null,
  retiredAt: f.retiredAt?.toISOString() ?? null,
  retiredBy: f.retiredBy,
  retirementReason: f.retirementReason,
  createdBy: f.createdBy,
  createdAt: f.createdAt.toISOString(),
  revision: f.revision,
});

/** A signature as staff see it, its status at `now` given the versions of its kind that require re-consent. */
export const consentView = (c: PatientConsent, reconsentVersions: number[], now: Date): ConsentView => ({
  id: c.id,
  patientId: c.patientId,
  formId: c.formId,
  kind: c.kind,
  formVersion: c.formVersion,
  status: consentStatus(c, reconsentVersions, now),
  signedByName: c.signedByName,
  signedAt: c.signedAt.toISOString(),
  method: c.method,
  witnessUserId: c.witnessUserId,
  prescriberUserId: c.prescriberUserId,
  prescriberSignedAt: c.prescriberSignedAt?.toISOString() ?? null,
  expiresAt: c.expiresAt.toISOString(),
  recordedBy: c.recordedBy,
  withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
  withdrawnBy: c.withdrawnBy,
  withdrawalReason: c.withdrawalReason,
});
