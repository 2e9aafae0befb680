import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '#platform';
import { CsRegistration } from './registry.entity.js';
import type { DisposalKind } from './vocabulary.js';

/**
 * Stock that left the clinic's inventory other than by administration, with the facts its record
 * keeps (21 CFR 1304.21(e), 1304.22(c), 1317.95): destroyed on site to a non-retrievable state (the
 * DEA Form 41 record: date, method, location, two employee witnesses), or transferred to a reverse
 * distributor (its name, address and DEA number, with the same two employees observing the handover).
 * Each container it closed out has its `destroy` or `transfer` event, pointing here, with the
 * quantity. Written once: a disposal is never edited.
 */
@Entity({ name: 'cs_disposals' })
@Index('ix_cs_disposals_clinic', ['clinicId', 'occurredAt'])
@Check('ck_cs_disposals_kind', `"kind" IN ('destruction', 'transfer')`)
@Check(
  'ck_cs_disposals_witnesses',
  `"witness1_user_id" <> "witness2_user_id" AND "witness1_user_id" <> "actor_user_id" AND "witness2_user_id" <> "actor_user_id"`,
)
@Check(
  'ck_cs_disposals_facts',
  `("kind" = 'destruction' AND "method" IS NOT NULL AND "location" IS NOT NULL AND "distributor_dea_number" IS NULL) OR ("kind" = 'transfer' AND "distributor_name" IS NOT NULL AND "distributor_address" IS NOT NULL AND "distributor_dea_number" IS NOT NULL AND "method" IS NULL)`,
)
export class CsDisposal {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_disposals' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => CsRegistration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_cs_disposals_registration' })
  registration?: Relation<CsRegistration>;

  @Column({ type: 'text' })
  kind!: DisposalKind;

  /** When the stock was actually destroyed or handed over (1304.21(d)). */
  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'actor_user_id', type: 'uuid' })
  actorUserId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_user_id', foreignKeyConstraintName: 'fk_cs_disposals_actor' })
  actor?: Relation<User>;

  /** The two employees who handled or observed it, each signing with their own password. */
  @Column({ name: 'witness1_user_id', type: 'uuid' })
  witness1UserId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'witness1_user_id', foreignKeyConstraintName: 'fk_cs_disposals_witness1' })
  witness1?: Relation<User>;

  @Column({ name: 'witness2_user_id', type: 'uuid' })
  witness2UserId!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'witness2_user_id', foreignKeyConstraintName: 'fk_cs_disposals_witness2' })
  witness2?: Relation<User>;

  /** Why the stock goes: expired, damaged, recalled, no longer used. */
  @Column({ type: 'text' })
  reason!: string;

  /** A destruction: how it was made non-retrievable (a denaturing kit, incineration…). */
  @Column({ type: 'text', nullable: true })
  method!: string | null;

  /** A destruction: where it was done. */
  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ name: 'distributor_name', type: 'text', nullable: true })
  distributorName!: string | null;

  @Column({ name: 'distributor_address', type: 'text', nullable: true })
  distributorAddress!: string | null;

  /** Checked against its check digit. */
  @Column({ name: 'distributor_dea_number', type: 'text', nullable: true })
  distributorDeaNumber!: string | null;

  /** The reverse distributor's shipment or invoice number, when they give one. */
  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
