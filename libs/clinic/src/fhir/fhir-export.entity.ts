import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Clinic, User } from '#platform';

export const EXPORT_STATUSES = ['accepted', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export const EXPORT_LEVELS = ['system', 'patient'] as const;
export type ExportLevel = (typeof EXPORT_LEVELS)[number];

/** Where one resource type's file stands: the page cursor after the last line written, the lines and bytes committed. */
export interface TypeProgress {
  after: string | null;
  count: number;
  bytes: number;
  done: boolean;
}

/**
 * A FHIR Bulk Data export of one clinic's data: what was asked, by whom, how far the worker got
 * (committed after every page, so a killed worker's successor resumes at the last page and cuts
 * any line written after it), what it produced, and when it expires.
 */
@Entity({ name: 'fhir_exports' })
@Index('ix_fhir_exports_clinic', ['clinicId', 'requestedAt'])
@Check('ck_fhir_exports_status', `"status" IN ('accepted', 'running', 'completed', 'failed', 'cancelled')`)
@Check('ck_fhir_exports_level', `"level" IN ('system', 'patient')`)
export class FhirExport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_fhir_exports' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_fhir_exports_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requested_by', foreignKeyConstraintName: 'fk_fhir_exports_requested_by' })
  requester?: Relation<User>;

  @Column({ type: 'text' })
  level!: ExportLevel;

  /** The resource types to write, in order. */
  @Column({ type: 'text', array: true })
  types!: string[];

  /** `_since`: only resources last updated after it. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  since!: Date | null;

  /** The kick-off URL as the client sent it (the manifest's `request`). */
  @Column({ name: 'request_url', type: 'text' })
  requestUrl!: string;

  @Column({ type: 'text', default: 'accepted' })
  status!: ExportStatus;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  progress!: Record<string, TypeProgress>;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** When the request was accepted: the manifest's `transactionTime`. */
  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz', precision: 3 })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt!: Date | null;

  /** Set when it finishes (completed, failed or cancelled); its files and row go then. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt!: Date | null;
}
