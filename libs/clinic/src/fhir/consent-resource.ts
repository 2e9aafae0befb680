import { CONSENT_SCOPE, consentFormUri, loinc } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';

/** A signature (patient_consents) with its form's title and its status as Vigil computes it now. */
export interface ConsentRow {
  id: string;
  clinicId: string;
  patientId: string;
  kind: string;
  formVersion: number;
  formTitle: string;
  signedByName: string;
  signedAt: Date;
  method: string;
  prescriberUserId: string | null;
  expiresAt: Date;
  withdrawnAt: Date | null;
  createdAt: Date;
  /** Vigil's status of the signature now: active, expired, withdrawn or superseded. */
  status: 'active' | 'expired' | 'withdrawn' | 'superseded';
}

/**
 * Consent status: an active signature is `active`; one withdrawn, expired or superseded by a form
 * version that requires re-consent is `inactive` (R4's "terminated or replaced"), with Vigil's own
 * status in the provision's text.
 */
const STATUS: Record<ConsentRow['status'], string> = {
  active: 'active',
  expired: 'inactive',
  withdrawn: 'inactive',
  superseded: 'inactive',
};

/**
 * A signature as a treatment Consent (scope `treatment`, category LOINC 59284-0): the patient who
 * signed (and the prescriber for an enrollment), when, and the exact form version as its policy.
 */
export function toConsent(c: ConsentRow): FhirResource {
  const end = c.withdrawnAt && c.withdrawnAt < c.expiresAt ? c.withdrawnAt : c.expiresAt;
  return {
    resourceType: 'Consent',
    id: c.id,
    meta: metaOf(c.withdrawnAt ? 2 : 1, c.withdrawnAt ?? c.createdAt),
    status: STATUS[c.status],
    scope: { coding: [{ system: CONSENT_SCOPE, code: 'treatment', display: 'Treatment' }] },
    category: [{ coding: [loinc('59284-0', 'Patient Consent')], text: c.formTitle }],
    patient: ref('Patient', c.patientId),
    dateTime: c.signedAt.toISOString(),
    performer: [
      { ...ref('Patient', c.patientId), display: c.signedByName },
      ...(c.prescriberUserId ? [ref('Practitioner', c.prescriberUserId)] : []),
    ],
    policy: [{ uri: consentFormUri(c.clinicId, c.kind, c.formVersion) }],
    policyRule: { text: `${c.formTitle}, version ${c.formVersion} (${c.kind}), signed ${c.method}` },
    provision: { type: 'permit', period: { start: c.signedAt.toISOString(), end: end.toISOString() } },
  };
}
