import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '#platform';
import { Patient } from '../patients/index.js';
import type { Instrument } from './scoring.js';

/** One administered instrument: the answers as given, the total, band and flags as Vigil computed them. */
@Entity({ name: 'assessments' })
@Index('ix_assessments_patient', ['patientId', 'instrument', 'administeredAt'])
export class Assessment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_assessments' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_assessments_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ type: 'text' })
  instrument!: Instrument;

  @Column({ type: 'jsonb' })
  items!: (number | boolean)[];

  @Column({ name: 'behaviour_past_three_months', type: 'boolean', nullable: true })
  behaviourPastThreeMonths!: boolean | null;

  @Column({ type: 'smallint' })
  total!: number;

  @Column({ type: 'text', nullable: true })
  band!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  flags!: string[];

  /** LOINC code of the total (PHQ-9 44261-6, GAD-7 70274-6). */
  @Column({ type: 'text', nullable: true })
  loinc!: string | null;

  @Column({ name: 'administered_at', type: 'timestamptz', precision: 3 })
  administeredAt!: Date;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_assessments_recorded_by' })
  recorder?: Relation<User>;

  /** High-risk C-SSRS: the anesthesiologist's review, without which no session starts. */
  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', precision: 3, nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote!: string | null;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;
}
