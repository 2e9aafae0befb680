import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User, type Role } from '#platform';
import { Patient } from '../patients/index.js';

export const FOLLOW_UP_STATUSES = ['pending', 'due', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
/** Every kind of task Vigil makes (each made by the domain named in clinical-rules.md section 7). */
export const FOLLOW_UP_KINDS = [
  'check-in-call-24h',
  'rems-monitoring-form',
  'phq9-after-induction',
  'maintenance-proposal',
  'appointment-reminder-call',
  'suicide-risk-review',
  'consent-expiry',
  'consent-withdrawn',
] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
/** What a task may be about. */
export const FOLLOW_UP_SUBJECTS = ['session', 'series', 'appointment', 'assessment', 'consent'] as const;
export type FollowUpSubject = (typeof FOLLOW_UP_SUBJECTS)[number];

/**
 * A task someone at the clinic must do (clinical-rules.md section 7): the row is the record; a
 * queue job, when one is needed, only tells Vigil that its time has come.
 */
@Entity({ name: 'follow_ups' })
@Check('ck_follow_ups_status', `"status" IN ('pending', 'due', 'done', 'cancelled')`)
@Check('ck_follow_ups_role', `"assignee_role" IN ('nurse', 'anesthesiologist', 'admin')`)
@Index('ix_follow_ups_clinic_due', ['clinicId', 'status', 'dueAt'])
@Index('ix_follow_ups_patient', ['patientId', 'dueAt'])
export class FollowUp {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_follow_ups' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_follow_ups_patient' })
  patient?: Relation<Patient>;

  @Column({ type: 'text' })
  kind!: FollowUpKind;

  /** What the task is about: a consent, a session, a series… */
  @Column({ name: 'subject_type', type: 'text', nullable: true })
  subjectType!: FollowUpSubject | null;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt!: Date;

  @Column({ type: 'text' })
  status!: FollowUpStatus;

  @Column({ name: 'assignee_role', type: 'text' })
  assigneeRole!: Role;

  /** Still open at this time: the administrators are told (REMS form: day 5 of 7). */
  @Column({ name: 'escalate_at', type: 'timestamptz', precision: 3, nullable: true })
  escalateAt!: Date | null;

  @Column({ name: 'escalated_at', type: 'timestamptz', precision: 3, nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'result_note', type: 'text', nullable: true })
  resultNote!: string | null;

  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'completed_by', foreignKeyConstraintName: 'fk_follow_ups_completed_by' })
  completer?: Relation<User>;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
