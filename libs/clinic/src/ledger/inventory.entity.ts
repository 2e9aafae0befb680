import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '#platform';
import { CsRegistration } from './registry.entity.js';
import type { InventoryKind, InventoryTime, ReminderKind } from './vocabulary.js';

/**
 * An inventory of everything a registration has on hand (21 CFR 1304.11): the initial one, then one at
 * least every two years, and any other the clinic takes. Each container's line is a witnessed `count`
 * event pointing here (sealed containers and devices counted, opened vials an estimated measure); a
 * line unlike the ledger's balance opens a discrepancy. Signed by who took it and a witness.
 */
@Entity({ name: 'cs_inventories' })
@Index('ix_cs_inventories_registration', ['registrationId', 'takenAt'])
@Index('ux_cs_inventories_initial', ['registrationId'], { unique: true, where: `"kind" = 'initial'` })
@Check('ck_cs_inventories_kind', `"kind" IN ('initial', 'biennial', 'ad-hoc')`)
@Check('ck_cs_inventories_time', `"time_of_day" IN ('opening', 'close')`)
@Check('ck_cs_inventories_witness', `"witness_user_id" <> "taken_by"`)
export class CsInventory {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_inventories' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_inventories_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ type: 'text' })
  kind!: InventoryKind;

  @Column({ name: 'taken_at', type: 'timestamptz', precision: 3 })
  takenAt!: Date;

  /** The clinic's date of the inventory: the next biennial one is due two years from it. */
  @Column({ name: 'taken_on', type: 'date' })
  takenOn!: string;

  @Column({ name: 'time_of_day', type: 'text' })
  timeOfDay!: InventoryTime;

  @Column({ name: 'taken_by', type: 'uuid' })
  takenBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'taken_by', foreignKeyConstraintName: 'fk_cs_inventories_taken_by' })
  taker?: Relation<User>;

  @Column({ name: 'witness_user_id', type: 'uuid' })
  witnessUserId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'witness_user_id', foreignKeyConstraintName: 'fk_cs_inventories_witness' })
  witness?: Relation<User>;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}

/**
 * A reminder of a DEA duty with a date, fired by the durable queue (a pending-work row): the next
 * biennial inventory (at 23 months, overdue after 24), a registration's renewal and its lapse. `basis`
 * is the date it was computed from (the last inventory's, the registration's expiry); a newer reminder
 * of the same kind (after a newer inventory, a renewal) replaces it, and it stays silent.
 */
@Entity({ name: 'cs_reminders' })
@Index('ix_cs_reminders_registration', ['registrationId', 'kind', 'dueAt'])
@Check('ck_cs_reminders_kind', `"kind" IN ('inventory-due', 'inventory-overdue', 'registration-renewal', 'registration-lapsed')`)
export class CsReminder {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_reminders' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_reminders_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ type: 'text' })
  kind!: ReminderKind;

  @Column({ type: 'date' })
  basis!: string;

  /** The day the duty falls due (the biennial inventory's last day, the registration's last valid day). */
  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ name: 'due_at', type: 'timestamptz', precision: 3 })
  dueAt!: Date;

  /** When the staff were told (null: not yet, or no longer needed). */
  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
