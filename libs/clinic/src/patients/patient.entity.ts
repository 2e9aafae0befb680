import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
  type Relation,
} from 'typeorm';
import { Clinic, numeric } from '#platform';
import type { Sex } from './screening-items.js';

export const CONTACT_PREFERENCES = ['email', 'phone', 'none'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];
/** discharged: treatment ended (no maintenance, no new bookings) until readmitted. */
export const CARE_STATUSES = ['active', 'discharged'] as const;
export type CareStatus = (typeof CARE_STATUSES)[number];

@Entity({ name: 'patients' })
@Check('ck_patients_sex', `"sex" IN ('female', 'male', 'other', 'unknown')`)
@Check('ck_patients_contact_preference', `"contact_preference" IN ('email', 'phone', 'none')`)
@Check('ck_patients_care_status', `"care_status" IN ('active', 'discharged')`)
// Unique on (clinic_id, lower(mrn)): an MRN is one whatever its case (migration PatientMrnAnyCase; TypeORM cannot express lower()).
@Index('ux_patients_mrn', { synchronize: false })
@Index('ix_patients_clinic', ['clinicId', 'createdAt'])
@Index('ix_patients_birth_date', ['clinicId', 'dateOfBirth'])
// GIN trigram index on search_text, created by hand in the migration (TypeORM cannot name an operator class).
@Index('ix_patients_search', { synchronize: false })
export class Patient {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_patients' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_patients_clinic' })
  clinic?: Relation<Clinic>;

  /** Medical record number, unique within the clinic whatever its case. */
  @Column({ type: 'text' })
  mrn!: string;

  @Column({ name: 'first_name', type: 'text' })
  firstName!: string;

  @Column({ name: 'last_name', type: 'text' })
  lastName!: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth!: string;

  @Column({ type: 'text', default: 'unknown' })
  sex!: Sex;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ name: 'emergency_contact_name', type: 'text', nullable: true })
  emergencyContactName!: string | null;

  @Column({ name: 'emergency_contact_phone', type: 'text', nullable: true })
  emergencyContactPhone!: string | null;

  @Column({ name: 'emergency_contact_relationship', type: 'text', nullable: true })
  emergencyContactRelationship!: string | null;

  /** How the patient wants appointment reminders; `none` until they say. */
  @Column({ name: 'contact_preference', type: 'text', default: 'none' })
  contactPreference!: ContactPreference;

  /** The patient agreed to be contacted (reminders); nothing is sent without it. */
  @Column({ name: 'contact_consent', type: 'boolean', default: false })
  contactConsent!: boolean;

  /** `discharged` ends the treatment: no maintenance proposals, no new bookings. */
  @Column({ name: 'care_status', type: 'text', default: 'active' })
  careStatus!: CareStatus;

  @Column({ name: 'discharged_from_care_at', type: 'timestamptz', nullable: true })
  dischargedFromCareAt!: Date | null;

  @Column({ name: 'discharged_from_care_reason', type: 'text', nullable: true })
  dischargedFromCareReason!: string | null;

  @Column({ name: 'height_cm', type: 'numeric', precision: 5, scale: 1, nullable: true, transformer: numeric })
  heightCm!: number | null;

  /** Lower-case, accent-free names and MRN, so search ignores case and accents (see search-text.ts). */
  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
