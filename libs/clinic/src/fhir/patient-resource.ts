import type { Patient } from '../patients/index.js';
import { mrnSystem, PROFILE, V2_IDENTIFIER_TYPE } from './codes.js';
import type { FhirResource } from './resource.js';

export type PatientRow = Pick<
  Patient,
  | 'id'
  | 'clinicId'
  | 'mrn'
  | 'firstName'
  | 'lastName'
  | 'dateOfBirth'
  | 'sex'
  | 'phone'
  | 'email'
  | 'address'
  | 'emergencyContactName'
  | 'emergencyContactPhone'
  | 'emergencyContactRelationship'
  | 'updatedAt'
  | 'version'
>;

/** The MRN as a US Core identifier: type MR (v2-0203), in the clinic's own system. */
export function mrnIdentifier(clinicId: string, mrn: string) {
  return {
    use: 'usual',
    type: { coding: [{ system: V2_IDENTIFIER_TYPE, code: 'MR', display: 'Medical Record Number' }], text: 'MRN' },
    system: mrnSystem(clinicId),
    value: mrn,
  };
}

function telecom(p: PatientRow) {
  const points = [
    ...(p.phone ? [{ system: 'phone', value: p.phone, use: 'home' }] : []),
    ...(p.email ? [{ system: 'email', value: p.email, use: 'home' }] : []),
  ];
  return points.length ? { telecom: points } : {};
}

/** The emergency contact as a Patient.contact (relationship in words: Vigil stores it as the patient said it). */
function contact(p: PatientRow) {
  if (!p.emergencyContactName && !p.emergencyContactPhone) return {};
  return {
    contact: [
      {
        relationship: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C', display: 'Emergency Contact' }] },
          ...(p.emergencyContactRelationship ? [{ text: p.emergencyContactRelationship }] : []),
        ],
        ...(p.emergencyContactName ? { name: { text: p.emergencyContactName } } : {}),
        ...(p.emergencyContactPhone ? { telecom: [{ system: 'phone', value: p.emergencyContactPhone }] } : {}),
      },
    ],
  };
}

/** A patient as a US Core Patient: MRN identifier, official name, gender, birth date, phone, email, address, emergency contact. */
export function toFhirPatient(p: PatientRow): FhirResource {
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { versionId: String(p.version), lastUpdated: p.updatedAt.toISOString(), profile: [PROFILE.usCorePatient] },
    identifier: [mrnIdentifier(p.clinicId, p.mrn)],
    name: [{ use: 'official', family: p.lastName, given: [p.firstName] }],
    ...telecom(p),
    // Vigil's sexes are FHIR's administrative genders, code for code.
    gender: p.sex,
    birthDate: p.dateOfBirth,
    ...(p.address ? { address: [{ use: 'home', text: p.address }] } : {}),
    ...contact(p),
  };
}
