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
import { Clinic, User } from '#platform';
import { Chair } from '../chairs/index.js';

/**
 * A bedside monitor registered to a chair: its readings (HL7 v2 from its gateway) chart into the
 * session in progress in that chair. It is recognised by the EUI-64 it sends (OBX-18 or MSH-3),
 * unique across Vigil, and/or by the bed location its gateway sends (PV1-3), unique in the clinic.
 * Retired, never deleted: the readings it sent keep naming it.
 */
@Entity({ name: 'monitors' })
@Check('ck_monitors_identity', `"eui64" IS NOT NULL OR "location" IS NOT NULL`)
@Check('ck_monitors_eui64', `"eui64" ~ '^[0-9A-F]{16}$'`)
@Check('ck_monitors_retired', `("retired_at" IS NULL) = ("retired_by" IS NULL)`)
@Index('ux_monitors_eui64', ['eui64'], { unique: true, where: '"eui64" IS NOT NULL AND "retired_at" IS NULL' })
@Index('ux_monitors_location', ['clinicId', 'location'], { unique: true, where: '"location" IS NOT NULL AND "retired_at" IS NULL' })
@Index('ux_monitors_name', ['clinicId', 'name'], { unique: true, where: '"retired_at" IS NULL' })
@Index('ix_monitors_chair', ['chairId'])
export class Monitor {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_monitors' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_monitors_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'chair_id', type: 'uuid' })
  chairId!: string;

  @ManyToOne(() => Chair, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chair_id', foreignKeyConstraintName: 'fk_monitors_chair' })
  chair?: Relation<Chair>;

  /** Upper-case hexadecimal, 16 digits. */
  @Column({ type: 'text', nullable: true })
  eui64!: string | null;

  /** PV1-3 as compared (upper-case, trimmed components, no empty trailing ones). */
  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ name: 'retired_at', type: 'timestamptz', precision: 3, nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'retired_by', type: 'uuid', nullable: true })
  retiredBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'retired_by', foreignKeyConstraintName: 'fk_monitors_retired_by' })
  retirer?: Relation<User>;

  @Column({ name: 'retire_reason', type: 'text', nullable: true })
  retireReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_monitors_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
