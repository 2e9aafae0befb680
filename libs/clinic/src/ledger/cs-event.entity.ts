import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { numeric, User } from '#platform';
import { Patient } from '../patients/index.js';
import { Session } from '../sessions/index.js';
import { CsDisposal } from './disposal.entity.js';
import { CsInventory } from './inventory.entity.js';
import { CsRegistration } from './registry.entity.js';
import { CsContainer, CsReceipt } from './stock.entity.js';

/**
 * What an event records. Each moves its container's balance by `delta`:
 * - `receipt` (+ the container's contents), `administer` (− the dose drawn for a session),
 *   `waste` (− when spilled or broken from the container; 0 for the part of a drawn dose not given,
 *   which left the container with the draw), `correction` (± a discrepancy's resolution, pointing at
 *   the event it corrects), `loss` (− what a theft or loss took), `destroy` and `transfer` (− all that
 *   was left, destroyed on site or handed to a reverse distributor: the container is closed out);
 * - 0: `reconcile` (the dose given, at the end of dosing), `count` (a blind count and its variance),
 *   `quarantine`, `release`.
 */
export const CS_EVENT_KINDS = [
  'receipt',
  'administer',
  'reconcile',
  'waste',
  'count',
  'quarantine',
  'release',
  'correction',
  'loss',
  'destroy',
  'transfer',
] as const;
export type CsEventKind = (typeof CS_EVENT_KINDS)[number];

/**
 * The controlled-substance ledger: every receipt, administration, waste, count and correction, with
 * who, when, the witness and the container's balance after it (21 CFR 1304.21, 1304.22(c)).
 * Append-only: PostgreSQL refuses UPDATE, DELETE and TRUNCATE, and the application's role may only
 * read and insert. A mistake is corrected by a new event that points at it.
 */
@Entity({ name: 'cs_events' })
@Index('ix_cs_events_container', ['containerId', 'recordedAt'])
@Index('ix_cs_events_clinic', ['clinicId', 'occurredAt'])
@Index('ix_cs_events_session', ['sessionId'])
@Check(
  'ck_cs_events_kind',
  `"kind" IN ('receipt', 'administer', 'reconcile', 'waste', 'count', 'quarantine', 'release', 'correction', 'loss', 'destroy', 'transfer')`,
)
@Check('ck_cs_events_quantity', `"quantity" >= 0`)
@Check('ck_cs_events_balance', `"balance_after" >= 0`)
@Check('ck_cs_events_container_balance', `("container_id" IS NULL) = ("balance_after" IS NULL)`)
@Check('ck_cs_events_witness', `"witness_user_id" IS NULL OR "witness_user_id" <> "actor_user_id"`)
@Check('ck_cs_events_witnessed', `"kind" NOT IN ('waste', 'count', 'destroy', 'transfer') OR "witness_user_id" IS NOT NULL`)
@Check('ck_cs_events_disposal', `("kind" IN ('destroy', 'transfer')) = ("disposal_id" IS NOT NULL)`)
@Check('ck_cs_events_inventory', `"inventory_id" IS NULL OR "kind" = 'count'`)
@Index('ix_cs_events_inventory', ['inventoryId'], { where: '"inventory_id" IS NOT NULL' })
@Check('ck_cs_events_administer', `"kind" NOT IN ('administer', 'reconcile') OR ("session_id" IS NOT NULL AND "patient_id" IS NOT NULL)`)
@Check('ck_cs_events_correction', `"kind" <> 'correction' OR "corrects_event_id" IS NOT NULL`)
export class CsEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_events' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_events_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ name: 'container_id', type: 'uuid', nullable: true })
  containerId!: string | null;

  @ManyToOne(() => CsContainer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'container_id', foreignKeyConstraintName: 'fk_cs_events_container' })
  container?: Relation<CsContainer>;

  @Column({ type: 'text' })
  kind!: CsEventKind;

  /** When it happened (a late entry may be back-dated a little); `recorded_at` is when Vigil stored it. */
  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;

  @Column({ name: 'actor_user_id', type: 'uuid' })
  actorUserId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_user_id', foreignKeyConstraintName: 'fk_cs_events_actor' })
  actor?: Relation<User>;

  /** The second person who saw it and signed with their own password. */
  @Column({ name: 'witness_user_id', type: 'uuid', nullable: true })
  witnessUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'witness_user_id', foreignKeyConstraintName: 'fk_cs_events_witness' })
  witness?: Relation<User>;

  /** What the event is about, in the product's unit (mL or devices): drawn, given, wasted, counted… */
  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numeric })
  quantity!: number;

  @Column({ type: 'text' })
  unit!: 'mL' | 'device' | 'container';

  @Column({ name: 'quantity_mg', type: 'numeric', precision: 12, scale: 3, nullable: true, transformer: numeric })
  quantityMg!: number | null;

  /** How the container's balance moved. */
  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: numeric })
  delta!: number;

  @Column({ name: 'balance_after', type: 'numeric', precision: 12, scale: 3, nullable: true, transformer: numeric })
  balanceAfter!: number | null;

  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId!: string | null;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_cs_events_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_cs_events_session' })
  session?: Relation<Session>;

  @Column({ name: 'receipt_id', type: 'uuid', nullable: true })
  receiptId!: string | null;

  @ManyToOne(() => CsReceipt, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receipt_id', foreignKeyConstraintName: 'fk_cs_events_receipt' })
  receipt?: Relation<CsReceipt>;

  @Column({ name: 'corrects_event_id', type: 'uuid', nullable: true })
  correctsEventId!: string | null;

  @ManyToOne(() => CsEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'corrects_event_id', foreignKeyConstraintName: 'fk_cs_events_corrects' })
  corrects?: Relation<CsEvent>;

  /** The destruction or transfer that closed the container out (its second witness is there). */
  @Column({ name: 'disposal_id', type: 'uuid', nullable: true })
  disposalId!: string | null;

  @ManyToOne(() => CsDisposal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'disposal_id', foreignKeyConstraintName: 'fk_cs_events_disposal' })
  disposal?: Relation<CsDisposal>;

  /** The inventory this count is a line of. */
  @Column({ name: 'inventory_id', type: 'uuid', nullable: true })
  inventoryId!: string | null;

  @ManyToOne(() => CsInventory, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'inventory_id', foreignKeyConstraintName: 'fk_cs_events_inventory' })
  inventory?: Relation<CsInventory>;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The figures behind it: a count's expected balance and variance, a reconciliation's drawn and given. */
  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
