import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type PendingWorkStatus = 'pending' | 'done' | 'cancelled';

/**
 * Work that must happen later (an escalation, a follow-up coming due, a token to expire) is a row
 * here, written in the transaction of the change that needs it. Queue jobs only trigger it: the
 * handler re-reads the row, and the sweeper re-enqueues every pending row whose job went missing.
 */
@Entity({ name: 'pending_work' })
@Index('ix_pending_work_due', ['dueAt'], { where: `"status" = 'pending'` })
@Index('ux_pending_work_subject', ['kind', 'subjectId'], { unique: true, where: `"status" = 'pending'` })
export class PendingWork {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_pending_work' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  /** The job name that carries it out (JobName). */
  @Column({ type: 'text' })
  kind!: string;

  /** The record the work is about (a session, a follow-up, a token). */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'text', default: 'pending' })
  status!: PendingWorkStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
