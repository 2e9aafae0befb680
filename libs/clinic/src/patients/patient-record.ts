import { ageInYears, localDate } from '#platform';
import type { Patient, CareStatus, ContactPreference } from './patient.entity.js';
import type { Sex } from './screening-items.js';
import type { PatientWeight } from './weight.entity.js';
import { weightView, type WeightView } from './weights.js';

export interface EmergencyContact {
  name?: string | null;
  phone?: string | null;
  relationship?: string | null;
}

export interface PatientDemographics {
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex?: Sex;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  emergencyContact?: EmergencyContact | null;
  heightCm?: number | null;
  contactPreference?: ContactPreference;
  contactConsent?: boolean;
}

export interface NewPatient extends PatientDemographics {
  weightKg: number;
  weightMeasuredAt?: Date;
}

export type PatientChanges = Partial<PatientDemographics> & { version?: number };

export interface PatientView {
  id: string;
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  ageYears: number;
  sex: Sex;
  phone: string | null;
  email: string | null;
  address: string | null;
  emergencyContact: { name: string | null; phone: string | null; relationship: string | null };
  heightCm: number | null;
  contactPreference: ContactPreference;
  contactConsent: boolean;
  careStatus: CareStatus;
  dischargedFromCareAt: string | null;
  dischargedFromCareReason: string | null;
  latestWeight: WeightView | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A stored patient as the demographics an edit starts from. */
export function asInput(p: Patient): PatientDemographics {
  return {
    mrn: p.mrn,
    firstName: p.firstName,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    phone: p.phone,
    email: p.email,
    address: p.address,
    emergencyContact: { name: p.emergencyContactName, phone: p.emergencyContactPhone, relationship: p.emergencyContactRelationship },
    heightCm: p.heightCm,
    contactPreference: p.contactPreference,
    contactConsent: p.contactConsent,
  };
}

/** The columns the demographics are stored in, trimmed (an empty text is null). */
export function columns(input: PatientDemographics): Record<string, unknown> & Partial<Patient> {
  const trim = (v: string | null | undefined) => (v === undefined || v === null ? null : v.trim() || null);
  return {
    mrn: input.mrn.trim(),
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    dateOfBirth: input.dateOfBirth,
    sex: input.sex ?? 'unknown',
    phone: trim(input.phone),
    email: trim(input.email),
    address: trim(input.address),
    emergencyContactName: trim(input.emergencyContact?.name),
    emergencyContactPhone: trim(input.emergencyContact?.phone),
    emergencyContactRelationship: trim(input.emergencyContact?.relationship),
    heightCm: input.heightCm ?? null,
    contactPreference: input.contactPreference ?? 'none',
    contactConsent: input.contactConsent ?? false,
  };
}

/** The record as answered, with its age on the clinic's today. */
export function patientView(p: Patient, weight: PatientWeight | null, now: Date, timeZone: string): PatientView {
  return {
    id: p.id,
    mrn: p.mrn,
    firstName: p.firstName,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    ageYears: ageInYears(p.dateOfBirth, localDate(now, timeZone)),
    sex: p.sex,
    phone: p.phone,
    email: p.email,
    address: p.address,
    emergencyContact: { name: p.emergencyContactName, phone: p.emergencyContactPhone, relationship: p.emergencyContactRelationship },
    heightCm: p.heightCm,
    contactPreference: p.contactPreference,
    contactConsent: p.contactConsent,
    careStatus: p.careStatus,
    dischargedFromCareAt: p.dischargedFromCareAt?.toISOString() ?? null,
    dischargedFromCareReason: p.dischargedFromCareReason,
    latestWeight: weight ? weightView(weight) : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}
