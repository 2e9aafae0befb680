import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn, type Relation } from 'typeorm';
import { numeric, User } from '#platform';
import { CsEvent } from './cs-event.entity.js';
import { CsRegistration } from './registry.entity.js';
import { CsContainer, CsReceipt } from './stock.entity.js';
import type { DiscrepancyKind } from './vocabulary.js';
export type { DiscrepancyKind };

/**
 * What was found differs from what the ledger expects: a receipt's blind count against its invoice, or
 * a container's blind count against its balance. An anesthesiologist resolves it with a reason (and,
 * for a count, may correct the balance to what was found: a `correction` event pointing at the count).
 */
@Entity({ name: 'cs_discrepancies' })
@Index('ix_cs_discrepancies_clinic', ['clinicId', 'status', 'openedAt'])
@Check('ck_cs_discrepancies_kind', `"kind" IN ('receipt-count', 'count-variance')`)
@Check('ck_cs_discrepancies_status', `"status" IN ('open', 'resolved')`)
@Check(
  'ck_cs_discrepancies_resolved',
  `("status" = 'open' AND "resolved_at" IS NULL AND "resolved_by" IS NULL AND "resolution" IS NULL) OR ("status" = 'resolved' AND "resolved_at" IS NOT NULL AND "resolved_by" IS NOT NULL AND "resolution" IS NOT NULL)`,
)
export class CsDiscrepancy {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_discrepancies' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_discrepancies_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ type: 'text' })
  kind!: DiscrepancyKind;

  @Column({ name: 'container_id', type: 'uuid', nullable: true })
  containerId!: string | null;

  @ManyToOne(() => CsContainer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'container_id', foreignKeyConstraintName: 'fk_cs_discrepancies_container' })
  container?: Relation<CsContainer>;

  @Column({ name: 'receipt_id', type: 'uuid', nullable: true })
  receiptId!: string | null;

  @ManyToOne(() => CsReceipt, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receipt_id', foreignKeyConstraintName: 'fk_cs_discrepancies_receipt' })
  receipt?: Relation<CsReceipt>;

  /** The count event that found it. */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  @ManyToOne(() => CsEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_cs_discrepancies_event' })
  event?: Relation<CsEvent>;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numeric })
  expected!: number;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numeric })
  found!: number;

  @Column({ type: 'text' })
  unit!: 'mL' | 'device' | 'container';

  @Column({ type: 'text' })
  status!: 'open' | 'resolved';

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3 })
  openedAt!: Date;

  @Column({ name: 'opened_by', type: 'uuid' })
  openedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'opened_by', foreignKeyConstraintName: 'fk_cs_discrepancies_opened_by' })
  opener?: Relation<User>;

  /** Resolve by (the clinic's resolution window from opening). */
  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resolved_by', foreignKeyConstraintName: 'fk_cs_discrepancies_resolved_by' })
  resolver?: Relation<User>;

  /** Why the difference arose, in the resolver's words. */
  @Column({ type: 'text', nullable: true })
  resolution!: string | null;

  /** The correction event, when the balance was corrected to what was found. */
  @Column({ name: 'correction_event_id', type: 'uuid', nullable: true })
  correctionEventId!: string | null;

  @ManyToOne(() => CsEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'correction_event_id', foreignKeyConstraintName: 'fk_cs_discrepancies_correction' })
  correction?: Relation<CsEvent>;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
