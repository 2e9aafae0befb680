import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
  type Relation,
} from 'typeorm';
import { numeric, User } from '#platform';
import { CsProduct, CsRegistration } from './registry.entity.js';
import type { ReceiptStatus } from './vocabulary.js';
export type { ReceiptStatus };

/**
 * A delivery of one product and lot (1304.22(c): the number of containers received, the date, the
 * supplier's name, address and DEA number). Entered from the invoice first; the receiver then counts
 * the containers without being shown the invoiced number (a blind count), and only the counted
 * containers enter stock. No DEA Form 222 is needed for Schedule III: the invoice is the record.
 */
@Entity({ name: 'cs_receipts' })
@Index('ix_cs_receipts_clinic', ['clinicId', 'createdAt'])
@Check('ck_cs_receipts_status', `"status" IN ('awaiting-count', 'received')`)
@Check('ck_cs_receipts_invoiced', `"containers_invoiced" > 0`)
@Check(
  'ck_cs_receipts_counted',
  `("status" = 'awaiting-count' AND "containers_counted" IS NULL AND "received_on" IS NULL AND "counted_by" IS NULL) OR ("status" = 'received' AND "containers_counted" >= 0 AND "received_on" IS NOT NULL AND "counted_by" IS NOT NULL)`,
)
export class CsReceipt {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_receipts' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_receipts_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => CsProduct, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'fk_cs_receipts_product' })
  product?: Relation<CsProduct>;

  /** As printed on the packages received. */
  @Column({ type: 'text' })
  ndc!: string;

  @Column({ type: 'text' })
  lot!: string;

  @Column({ name: 'expires_on', type: 'date' })
  expiresOn!: string;

  @Column({ name: 'supplier_name', type: 'text' })
  supplierName!: string;

  @Column({ name: 'supplier_address', type: 'text' })
  supplierAddress!: string;

  @Column({ name: 'supplier_dea_number', type: 'text' })
  supplierDeaNumber!: string;

  @Column({ name: 'invoice_number', type: 'text' })
  invoiceNumber!: string;

  @Column({ name: 'invoice_date', type: 'date', nullable: true })
  invoiceDate!: string | null;

  @Column({ name: 'containers_invoiced', type: 'integer' })
  containersInvoiced!: number;

  /** The receiver's blind count: the containers that entered stock. */
  @Column({ name: 'containers_counted', type: 'integer', nullable: true })
  containersCounted!: number | null;

  /** The day the stock was actually received (1304.21(d)), the clinic's local date. */
  @Column({ name: 'received_on', type: 'date', nullable: true })
  receivedOn!: string | null;

  @Column({ type: 'text' })
  status!: ReceiptStatus;

  @Column({ name: 'entered_by', type: 'uuid' })
  enteredBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entered_by', foreignKeyConstraintName: 'fk_cs_receipts_entered_by' })
  enterer?: Relation<User>;

  @Column({ name: 'counted_by', type: 'uuid', nullable: true })
  countedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'counted_by', foreignKeyConstraintName: 'fk_cs_receipts_counted_by' })
  counter?: Relation<User>;

  @Column({ name: 'counted_at', type: 'timestamptz', precision: 3, nullable: true })
  countedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}

export const CONTAINER_STATUSES = ['sealed', 'open', 'empty', 'quarantined', 'destroyed', 'transferred'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

/**
 * One vial or kit on hand. `balance` (in the product's unit) is the running total of the
 * container's ledger events, moved only together with an event while the row is locked; PostgreSQL
 * refuses a negative balance. Expiry is judged from `expires_on` in the clinic's time zone.
 */
@Entity({ name: 'cs_containers' })
@Index('ix_cs_containers_clinic', ['clinicId', 'status', 'expiresOn'])
@Index('ux_cs_containers_receipt_seq', ['receiptId', 'seq'], { unique: true })
@Check('ck_cs_containers_status', `"status" IN ('sealed', 'open', 'empty', 'quarantined', 'destroyed', 'transferred')`)
@Check('ck_cs_containers_balance', `"balance" >= 0`)
export class CsContainer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_containers' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_containers_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => CsProduct, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'fk_cs_containers_product' })
  product?: Relation<CsProduct>;

  @Column({ name: 'receipt_id', type: 'uuid' })
  receiptId!: string;

  @ManyToOne(() => CsReceipt, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receipt_id', foreignKeyConstraintName: 'fk_cs_containers_receipt' })
  receipt?: Relation<CsReceipt>;

  /** Its number within the receipt (1…n): the label is `<lot>/<seq>`. */
  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  ndc!: string;

  @Column({ type: 'text' })
  lot!: string;

  @Column({ name: 'expires_on', type: 'date' })
  expiresOn!: string;

  @Column({ type: 'text' })
  status!: ContainerStatus;

  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numeric })
  balance!: number;

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3, nullable: true })
  openedAt!: Date | null;

  /** Why it is quarantined. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
