import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Clinic, User } from '#platform';

export const CONSENT_KINDS = ['ketamine-off-label', 'esketamine-rems-enrollment', 'general-procedure'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/**
 * A consent form text, versioned per (clinic, kind). A draft may be edited; once published it is
 * immutable (a database trigger refuses any UPDATE of a published row).
 */
@Entity({ name: 'consent_forms' })
@Check('ck_consent_forms_kind', `"kind" IN ('ketamine-off-label', 'esketamine-rems-enrollment', 'general-procedure')`)
@Check('ck_consent_forms_valid_months', `"valid_months" BETWEEN 1 AND 120`)
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
