import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '#platform';
import { Patient } from './patient.entity.js';
import type { MedicationClass } from './screening-items.js';

/**
 * Screening answers, allergies and medications are histories: a change supersedes (or removes)
 * the current row and adds a new one, so who recorded what, and when, is never lost.
 */
@Entity({ name: 'screening_answers' })
@Index('ux_screening_answers_current', ['patientId', 'item'], { unique: true, where: '"superseded_at" IS NULL' })
export class ScreeningAnswer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_screening_answers' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_screening_answers_patient' })
  patient?: Relation<Patient>;

  /** A code of SCREENING_ITEMS. */
  @Column({ type: 'text' })
  item!: string;

  @Column({ type: 'boolean' })
  present!: boolean;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_screening_answers_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;
}

@Entity({ name: 'patient_allergies' })
@Index('ix_patient_allergies_patient', ['patientId'], { where: '"removed_at" IS NULL' })
export class PatientAllergy {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_patient_allergies' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_patient_allergies_patient' })
  patient?: Relation<Patient>;

  @Column({ type: 'text' })
  substance!: string;

  @Column({ type: 'text', nullable: true })
  reaction!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_patient_allergies_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @Column({ name: 'removed_by', type: 'uuid', nullable: true })
  removedBy!: string | null;
}

@Entity({ name: 'patient_medications' })
@Index('ix_patient_medications_patient', ['patientId'], { where: '"removed_at" IS NULL' })
export class PatientMedication {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_patient_medications' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_patient_medications_patient' })
  patient?: Relation<Patient>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'drug_class', type: 'text' })
  drugClass!: MedicationClass;

  @Column({ type: 'text', nullable: true })
  dose!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_patient_medications_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @Column({ name: 'removed_by', type: 'uuid', nullable: true })
  removedBy!: string | null;
}

/** An anesthesiologist has seen the relative cautions present at `acknowledgedAt` (section 2). */
@Entity({ name: 'caution_acknowledgements' })
@Index('ix_caution_acknowledgements_patient', ['patientId', 'acknowledgedAt'])
export class CautionAcknowledgement {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_caution_acknowledgements' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_caution_acknowledgements_patient' })
  patient?: Relation<Patient>;

  /** The relative cautions present when acknowledged. */
  @Column({ type: 'text', array: true })
  items!: string[];

  @Column({ type: 'text' })
  note!: string;

  @Column({ name: 'acknowledged_by', type: 'uuid' })
  acknowledgedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'acknowledged_by', foreignKeyConstraintName: 'fk_caution_acknowledgements_by' })
  acknowledger?: Relation<User>;

  @CreateDateColumn({ name: 'acknowledged_at', type: 'timestamptz', precision: 3 })
  acknowledgedAt!: Date;
}
