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
import { Clinic, User } from '#platform';

export const CONSENT_KINDS = ['ketamine-off-label', 'esketamine-rems-enrollment', 'general-procedure'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/**
 * A consent form text, versioned per (clinic, kind). A draft may be edited; once published it is
 * immutable, but for being retired once (a database trigger refuses any other UPDATE of a published
 * row). `version` numbers the texts of a kind; `revision` counts the edits of this row.
 */
@Entity({ name: 'consent_forms' })
@Check('ck_consent_forms_kind', `"kind" IN ('ketamine-off-label', 'esketamine-rems-enrollment', 'general-procedure')`)
@Check('ck_consent_forms_valid_months', `"valid_months" BETWEEN 1 AND 120`)
@Check(
  'ck_consent_forms_retired',
  `"retired_at" IS NULL OR ("published_at" IS NOT NULL AND "retired_by" IS NOT NULL AND "retirement_reason" IS NOT NULL)`,
)
@Index('ux_consent_forms_version', ['clinicId', 'kind', 'version'], { unique: true })
export class ConsentForm {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_consent_forms' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_consent_forms_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ type: 'text' })
  kind!: ConsentKind;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  /** Protocol keys that require this kind of consent (informational; the protocol is authoritative). */
  @Column({ name: 'required_for_protocols', type: 'text', array: true, default: () => "'{}'" })
  requiredForProtocols!: string[];

  /** clinical-rules.md section 6: default 12 months (CLINIC). */
  @Column({ name: 'valid_months', type: 'integer' })
  validMonths!: number;

  /** Publishing this version makes every signature of an older version of the kind "superseded". */
  @Column({ name: 'requires_reconsent', type: 'boolean', default: false })
  requiresReconsent!: boolean;

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3, nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_consent_forms_created_by' })
  creator?: Relation<User>;

  /** Retired: no new signature on this version; the signatures on it keep their status (clinical-rules.md section 6). */
  @Column({ name: 'retired_at', type: 'timestamptz', precision: 3, nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'retired_by', type: 'uuid', nullable: true })
  retiredBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'retired_by', foreignKeyConstraintName: 'fk_consent_forms_retired_by' })
  retirer?: Relation<User>;

  @Column({ name: 'retirement_reason', type: 'text', nullable: true })
  retirementReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  /** Edits of a draft send the revision they read (409 STALE_VERSION otherwise). */
  @VersionColumn({ type: 'integer', default: 1 })
  revision!: number;
}
