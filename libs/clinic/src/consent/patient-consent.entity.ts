import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '#platform';
import { Patient } from '../patients/index.js';
import { ConsentForm, type ConsentKind } from './consent-form.entity.js';

export const CONSENT_METHODS = ['in-person', 'electronic'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/**
 * A signature on one exact form version. Its status (active, expired, withdrawn, superseded) is
 * computed when asked, never stored, so it cannot go stale. Withdrawal adds to the row; nothing
 * is deleted.
 */
@Entity({ name: 'patient_consents' })
@Check('ck_patient_consents_method', `"method" IN (${CONSENT_METHODS.map((m) => `'${m}'`).join(', ')})`)
@Check('ck_patient_consents_expiry', `"expires_at" > "signed_at"`)
@Index('ix_patient_consents_patient', ['patientId', 'kind', 'signedAt'])
export class PatientConsent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_patient_consents' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_patient_consents_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'form_id', type: 'uuid' })
  formId!: string;

  @ManyToOne(() => ConsentForm, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'form_id', foreignKeyConstraintName: 'fk_patient_consents_form' })
  form?: Relation<ConsentForm>;

  /** The form's kind and version, copied so the answer needs no join. */
  @Column({ type: 'text' })
  kind!: ConsentKind;

  @Column({ name: 'form_version', type: 'integer' })
  formVersion!: number;

  @Column({ name: 'signed_by_name', type: 'text' })
  signedByName!: string;

  @Column({ name: 'signed_at', type: 'timestamptz', precision: 3 })
  signedAt!: Date;

  @Column({ type: 'text' })
  method!: ConsentMethod;

  @Column({ name: 'witness_user_id', type: 'uuid' })
  witnessUserId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'witness_user_id', foreignKeyConstraintName: 'fk_patient_consents_witness' })
  witness?: Relation<User>;

  /** esketamine-rems-enrollment: the prescriber (an anesthesiologist) signs too (Spravato REMS). */
  @Column({ name: 'prescriber_user_id', type: 'uuid', nullable: true })
  prescriberUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'prescriber_user_id', foreignKeyConstraintName: 'fk_patient_consents_prescriber' })
  prescriber?: Relation<User>;

  @Column({ name: 'prescriber_signed_at', type: 'timestamptz', precision: 3, nullable: true })
  prescriberSignedAt!: Date | null;

  /** signed_at + the form's valid months, fixed at signing (the form version is immutable). */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_patient_consents_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'withdrawn_by', type: 'uuid', nullable: true })
  withdrawnBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'withdrawn_by', foreignKeyConstraintName: 'fk_patient_consents_withdrawn_by' })
  withdrawer?: Relation<User>;

  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason!: string | null;
}
