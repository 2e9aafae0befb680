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
import { Clinic, numeric, User } from '#platform';

/** DEA schedules a registration may list ("N": non-narcotic); ketamine and esketamine need 3N. */
export const DEA_SCHEDULES = ['1', '2', '2N', '3', '3N', '4', '5'] as const;
export type DeaSchedule = (typeof DEA_SCHEDULES)[number];

/**
 * The clinic's DEA registration (21 CFR 1301): records are kept per registered location (1304.21(b)),
 * so every container and every ledger event belongs to one registration.
 */
@Entity({ name: 'cs_registrations' })
@Index('ux_cs_registrations_number', ['clinicId', 'deaNumber'], { unique: true })
@Check('ck_cs_registrations_schedules', `cardinality("schedules") > 0 AND "schedules" <@ ARRAY['1','2','2N','3','3N','4','5']::text[]`)
export class CsRegistration {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_registrations' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_cs_registrations_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ name: 'dea_number', type: 'text' })
  deaNumber!: string;

  /** The registrant as the certificate names it (the practitioner or the clinic). */
  @Column({ name: 'registrant_name', type: 'text' })
  registrantName!: string;

  /** The registered location. */
  @Column({ type: 'text' })
  address!: string;

  @Column({ type: 'text', array: true })
  schedules!: DeaSchedule[];

  /** The last day the registration is valid. */
  @Column({ name: 'expires_on', type: 'date' })
  expiresOn!: string;

  @Column({ name: 'state_license_number', type: 'text', nullable: true })
  stateLicenseNumber!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_cs_registrations_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}

/**
 * A commercial presentation of a controlled substance: what 1304.22(c) calls the finished form and
 * the units per container. Vigil's own (seeded, `clinic_id` null) are shared by every clinic; a
 * clinic adds its own. Counted in mL (mg per mL = strength) or in devices (mg per device).
 */
@Entity({ name: 'cs_products' })
@Index('ux_cs_products_vigil_ndc', ['ndc'], { unique: true, where: '"clinic_id" IS NULL AND "ndc" IS NOT NULL' })
@Index('ux_cs_products_clinic_ndc', ['clinicId', 'ndc'], { unique: true, where: '"clinic_id" IS NOT NULL AND "ndc" IS NOT NULL' })
@Check('ck_cs_products_substance', `"substance" IN ('ketamine', 'esketamine')`)
@Check('ck_cs_products_form', `"form" IN ('injection', 'nasal_spray')`)
@Check('ck_cs_products_container_kind', `"container_kind" IN ('vial', 'kit')`)
@Check('ck_cs_products_amounts', `"mg_per_unit" > 0 AND "units_per_container" > 0`)
@Check(
  'ck_cs_products_unit',
  `("unit" = 'mL' AND "strength_mg_per_ml" IS NOT NULL AND "mg_per_unit" = "strength_mg_per_ml") OR ("unit" = 'device' AND "form" = 'nasal_spray' AND "strength_mg_per_ml" IS NULL)`,
)
export class CsProduct {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_cs_products' })
  id!: string;

  /** null: one of Vigil's seeded products. */
  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_cs_products_clinic' })
  clinic?: Relation<Clinic>;

  /** As printed on the package; null for a generic presentation (each manufacturer's NDC is then on the receipt). */
  @Column({ type: 'text', nullable: true })
  ndc!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  substance!: 'ketamine' | 'esketamine';

  /** DEA controlled substance code (21 CFR 1308.13(c)(7): ketamine, its salts and isomers, 7285). */
  @Column({ name: 'dea_code', type: 'integer' })
  deaCode!: number;

  @Column({ type: 'text' })
  schedule!: string;

  @Column({ type: 'text' })
  form!: 'injection' | 'nasal_spray';

  @Column({ name: 'strength_mg_per_ml', type: 'numeric', precision: 9, scale: 3, nullable: true, transformer: numeric })
  strengthMgPerMl!: number | null;

  /** mg in one unit: the strength for mL, 28 for a Spravato device. */
  @Column({ name: 'mg_per_unit', type: 'numeric', precision: 9, scale: 3, transformer: numeric })
  mgPerUnit!: number;

  @Column({ name: 'units_per_container', type: 'numeric', precision: 9, scale: 3, transformer: numeric })
  unitsPerContainer!: number;

  @Column({ type: 'text' })
  unit!: 'mL' | 'device';

  @Column({ name: 'container_kind', type: 'text' })
  containerKind!: 'vial' | 'kit';

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_cs_products_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
