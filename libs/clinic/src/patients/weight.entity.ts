import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { numeric, User } from '#platform';
import { Patient } from './patient.entity.js';

export const WEIGHT_UNITS = ['kg', 'lb'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];

/** One weight measurement; the dose uses the latest (clinical-rules.md section 1). Never edited. */
@Entity({ name: 'patient_weights' })
@Check('ck_patient_weights_unit', `"entered_unit" IN ('kg', 'lb')`)
@Check('ck_patient_weights_kg', `"weight_kg" > 0`)
@Index('ix_patient_weights_patient', ['patientId', 'measuredAt'])
export class PatientWeight {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_patient_weights' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_patient_weights_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'weight_kg', type: 'numeric', precision: 7, scale: 3, transformer: numeric })
  weightKg!: number;

  /** The value and unit as entered, so a conversion can always be checked. */
  @Column({ name: 'entered_value', type: 'numeric', precision: 7, scale: 2, transformer: numeric })
  enteredValue!: number;

  @Column({ name: 'entered_unit', type: 'text' })
  enteredUnit!: WeightUnit;

  @Column({ name: 'measured_at', type: 'timestamptz', precision: 3 })
  measuredAt!: Date;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_patient_weights_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
