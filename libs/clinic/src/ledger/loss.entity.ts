import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  VersionColumn,
  type Relation,
} from 'typeorm';
import { Clinic, numeric, User } from '#platform';
import { CsEvent } from './cs-event.entity.js';
import { CsRegistration } from './registry.entity.js';
import { CsContainer } from './stock.entity.js';
import type { LossStatus } from './vocabulary.js';
export type { LossStatus };

/** A day the DEA's business days skip for this clinic (federal holidays, as the clinic lists them). */
@Entity({ name: 'cs_holidays' })
@Index('ux_cs_holidays_day', ['clinicId', 'date'], { unique: true })
export class CsHoliday {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_holidays' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_cs_holidays_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_cs_holidays_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}

/**
 * A theft or significant loss (21 CFR 1301.76(b)): when it was discovered, what was lost, and the two
 * clocks it starts, with the written notice to the DEA field office and the Form 106 filed on the
 * DEA's site as they are recorded (the confirmation number kept).
 */
@Entity({ name: 'cs_loss_reports' })
@Index('ix_cs_loss_reports_clinic', ['clinicId', 'discoveredAt'])
@Check('ck_cs_loss_reports_kind', `"kind" IN ('theft', 'loss')`)
@Check('ck_cs_loss_reports_status', `"status" IN ('open', 'notified', 'filed')`)
@Check('ck_cs_loss_reports_notified', `"status" = 'open' OR "notified_at" IS NOT NULL`)
@Check('ck_cs_loss_reports_filed', `"status" <> 'filed' OR ("form106_filed_at" IS NOT NULL AND "form106_number" IS NOT NULL)`)
export class CsLossReport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_loss_reports' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_loss_reports_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ type: 'text' })
  kind!: 'theft' | 'loss';

  @Column({ name: 'discovered_at', type: 'timestamptz', precision: 3 })
  discoveredAt!: Date;

  @Column({ type: 'text' })
  narrative!: string;

  /** The container it was taken from, when known; its `loss` event moved the balance. */
  @Column({ name: 'container_id', type: 'uuid', nullable: true })
  containerId!: string | null;

  @ManyToOne(() => CsContainer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'container_id', foreignKeyConstraintName: 'fk_cs_loss_reports_container' })
  container?: Relation<CsContainer>;

  @Column({ type: 'numeric', precision: 12, scale: 3, nullable: true, transformer: numeric })
  quantity!: number | null;

  @Column({ type: 'text', nullable: true })
  unit!: 'mL' | 'device' | null;

  @Column({ name: 'loss_event_id', type: 'uuid', nullable: true })
  lossEventId!: string | null;

  @ManyToOne(() => CsEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'loss_event_id', foreignKeyConstraintName: 'fk_cs_loss_reports_event' })
  lossEvent?: Relation<CsEvent>;

  /** The end of the next business day after discovery (the clinic's zone and DEA holidays). */
  @Column({ name: 'notice_due_at', type: 'timestamptz', precision: 3 })
  noticeDueAt!: Date;

  @Column({ name: 'form106_due_at', type: 'timestamptz', precision: 3 })
  form106DueAt!: Date;

  @Column({ type: 'text' })
  status!: LossStatus;

  @Column({ name: 'notified_at', type: 'timestamptz', precision: 3, nullable: true })
  notifiedAt!: Date | null;

  /** How the field office was told (letter, fax, email, its reference). */
  @Column({ name: 'notice_reference', type: 'text', nullable: true })
  noticeReference!: string | null;

  @Column({ name: 'form106_filed_at', type: 'timestamptz', precision: 3, nullable: true })
  form106FiledAt!: Date | null;

  /** The confirmation number the DEA's site gives. */
  @Column({ name: 'form106_number', type: 'text', nullable: true })
  form106Number!: string | null;

  @Column({ name: 'reported_by', type: 'uuid' })
  reportedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reported_by', foreignKeyConstraintName: 'fk_cs_loss_reports_reported_by' })
  reporter?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}

/** One reminder or overdue alert of a loss report's clocks: the row the durable queue fires. */
@Entity({ name: 'cs_loss_deadlines' })
@Index('ix_cs_loss_deadlines_report', ['lossReportId', 'dueAt'])
@Check('ck_cs_loss_deadlines_clock', `"clock" IN ('notice', 'form-106')`)
@Check('ck_cs_loss_deadlines_kind', `"kind" IN ('reminder-50', 'reminder-90', 'overdue')`)
export class CsLossDeadline {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_loss_deadlines' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'loss_report_id', type: 'uuid' })
  lossReportId!: string;

  @ManyToOne(() => CsLossReport, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'loss_report_id', foreignKeyConstraintName: 'fk_cs_loss_deadlines_report' })
  lossReport?: Relation<CsLossReport>;

  @Column({ type: 'text' })
  clock!: 'notice' | 'form-106';

  @Column({ type: 'text' })
  kind!: 'reminder-50' | 'reminder-90' | 'overdue';

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt!: Date;

  /** When the staff were told (null: not yet, or no longer needed). */
  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt!: Date | null;
}
