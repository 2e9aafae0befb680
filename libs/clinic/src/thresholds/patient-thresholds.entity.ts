import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, VersionColumn, type Relation } from 'typeorm';
import { Patient } from '../patients/index.js';
import type { ThresholdOverrides } from '../protocols/index.js';

/** A patient's own threshold overrides (the top layer), set by an anesthesiologist. */
@Entity({ name: 'patient_thresholds' })
export class PatientThresholds {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid', primaryKeyConstraintName: 'pk_patient_thresholds' })
  patientId!: string;

  @OneToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_patient_thresholds_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ type: 'jsonb' })
  thresholds!: ThresholdOverrides;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
