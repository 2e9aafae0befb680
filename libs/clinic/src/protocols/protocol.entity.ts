import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Clinic, User } from '#platform';
import type {
  DoseLimits,
  DoseRoute,
  DoseRule,
  InductionPlan,
  MaintenancePlan,
  ObservationStart,
  PreSessionRules,
  VitalsSchedule,
} from './protocol-definition.js';
import type { ThresholdOverrides } from './threshold-rules.js';

/**
 * One immutable version of a protocol. Vigil's defaults have no clinic (seeded by a data
 * migration); a clinic's edit writes its own next version, so a session can keep the exact
 * version it started with and the history is never rewritten.
 */
@Entity({ name: 'protocol_versions' })
@Check('ck_protocol_versions_route', `"route" IN ('iv', 'im', 'intranasal')`)
@Check('ck_protocol_versions_observation_from', `"observation_from" IN ('dosing-end', 'first-dose')`)
@Check('ck_protocol_versions_version', `"version" >= 1`)
@Index('ux_protocol_versions_default', ['key', 'version'], { unique: true, where: '"clinic_id" IS NULL' })
@Index('ux_protocol_versions_clinic', ['clinicId', 'key', 'version'], { unique: true, where: '"clinic_id" IS NOT NULL' })
export class ProtocolVersion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_protocol_versions' })
  id!: string;

  /** null: Vigil's default, used by every clinic that has not edited it. */
  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_protocol_versions_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  route!: DoseRoute;

  @Column({ name: 'dose_rule', type: 'jsonb' })
  doseRule!: DoseRule;

  @Column({ name: 'dose_limits', type: 'jsonb', nullable: true })
  doseLimits!: DoseLimits | null;

  @Column({ name: 'duration_min', type: 'integer', nullable: true })
  durationMin!: number | null;

  @Column({ name: 'min_observation_min', type: 'integer' })
  minObservationMin!: number;

  @Column({ name: 'observation_floor_min', type: 'integer', nullable: true })
  observationFloorMin!: number | null;

  @Column({ name: 'observation_from', type: 'text' })
  observationFrom!: ObservationStart;

  @Column({ name: 'min_age_years', type: 'integer' })
  minAgeYears!: number;

  @Column({ name: 'weight_max_age_days', type: 'integer' })
  weightMaxAgeDays!: number;

  @Column({ type: 'jsonb' })
  vitals!: VitalsSchedule;

  @Column({ name: 'pre_session', type: 'jsonb' })
  preSession!: PreSessionRules;

  @Column({ name: 'required_consent_kinds', type: 'text', array: true })
  requiredConsentKinds!: string[];

  @Column({ name: 'absolute_contraindications', type: 'text', array: true })
  absoluteContraindications!: string[];

  @Column({ type: 'jsonb' })
  induction!: InductionPlan;

  @Column({ type: 'jsonb' })
  maintenance!: MaintenancePlan;

  @Column({ type: 'jsonb' })
  thresholds!: ThresholdOverrides;

  @Column({ type: 'jsonb' })
  sources!: Record<string, string>;

  /** Why this version was written (the seed, or the clinician's reason for the edit). */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_protocol_versions_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
