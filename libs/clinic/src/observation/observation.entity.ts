import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { User } from '#platform';
import { Session } from '../sessions/index.js';
import type { DischargeChecklist } from './discharge-criteria.js';

/** What a nurse records of the patient during observation, and of an adverse event: the one list each, for the API and the database. */
export const DISSOCIATION_STATES = ['resolved', 'present'] as const;
export const NAUSEA_STATES = ['none', 'controlled', 'uncontrolled'] as const;
export const GAIT_STATES = ['steady', 'unsteady', 'not-assessed'] as const;
export const ADVERSE_EVENT_SEVERITIES = ['mild', 'moderate', 'severe', 'life-threatening'] as const;
export const ADVERSE_EVENT_OUTCOMES = ['resolved', 'ongoing', 'transferred', 'unknown'] as const;
export type AdverseEventSeverity = (typeof ADVERSE_EVENT_SEVERITIES)[number];
export type AdverseEventOutcome = (typeof ADVERSE_EVENT_OUTCOMES)[number];
const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** A nurse's look at the patient during observation (each is also a timeline event). */
@Entity({ name: 'observation_checks' })
@Check('ck_observation_checks_dissociation', `"dissociation" IN (${sqlList(DISSOCIATION_STATES)})`)
@Index('ix_observation_checks_session', ['sessionId', 'checkedAt'])
export class ObservationCheck {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_observation_checks' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_observation_checks_session' })
  session?: Relation<Session>;

  @Column({ name: 'checked_at', type: 'timestamptz', precision: 3 })
  checkedAt!: Date;

  @Column({ type: 'text' })
  dissociation!: (typeof DISSOCIATION_STATES)[number];

  @Column({ name: 'cadss6_total', type: 'smallint', nullable: true })
  cadss6Total!: number | null;

  @Column({ type: 'text', nullable: true })
  nausea!: (typeof NAUSEA_STATES)[number] | null;

  @Column({ type: 'boolean', nullable: true })
  oriented!: boolean | null;

  @Column({ type: 'text', nullable: true })
  gait!: (typeof GAIT_STATES)[number] | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_observation_checks_recorded_by' })
  recorder?: Relation<User>;
}

/** An adverse event during or after dosing; `remsReportable` marks what the REMS form asks about. */
@Entity({ name: 'adverse_events' })
@Check('ck_adverse_events_severity', `"severity" IN (${sqlList(ADVERSE_EVENT_SEVERITIES)})`)
@Index('ix_adverse_events_session', ['sessionId', 'onsetAt'])
export class AdverseEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_adverse_events' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_adverse_events_session' })
  session?: Relation<Session>;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  severity!: AdverseEventSeverity;

  @Column({ name: 'onset_at', type: 'timestamptz', precision: 3 })
  onsetAt!: Date;

  @Column({ name: 'action_taken', type: 'text' })
  actionTaken!: string;

  @Column({ type: 'text' })
  outcome!: AdverseEventOutcome;

  /** When the event resolved (set when the outcome becomes resolved; a later update may correct it). */
  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'rems_reportable', type: 'boolean' })
  remsReportable!: boolean;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_adverse_events_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;

  /** The latest update (outcome, action taken, severity); each is on the timeline and in the audit trail. */
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}

/** An anesthesiologist's word that out-of-range vitals are acceptable for discharge. */
@Entity({ name: 'vitals_attestations' })
@Index('ix_vitals_attestations_session', ['sessionId', 'attestedAt'])
export class VitalsAttestation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_vitals_attestations' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_vitals_attestations_session' })
  session?: Relation<Session>;

  /** The reading attested: a later reading needs a new attestation. */
  @Column({ name: 'reading_id', type: 'uuid' })
  readingId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'attested_by', type: 'uuid' })
  attestedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'attested_by', foreignKeyConstraintName: 'fk_vitals_attestations_by' })
  attester?: Relation<User>;

  @CreateDateColumn({ name: 'attested_at', type: 'timestamptz', precision: 3 })
  attestedAt!: Date;
}

/** The discharge record (one per session). */
@Entity({ name: 'discharges' })
export class Discharge {
  @PrimaryColumn({ name: 'session_id', type: 'uuid', primaryKeyConstraintName: 'pk_discharges' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_discharges_session' })
  session?: Relation<Session>;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'discharged_at', type: 'timestamptz', precision: 3 })
  dischargedAt!: Date;

  @Column({ name: 'discharged_by', type: 'uuid' })
  dischargedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'discharged_by', foreignKeyConstraintName: 'fk_discharges_by' })
  discharger?: Relation<User>;

  /** From the first dose (first device for esketamine) to discharge. */
  @Column({ name: 'total_min', type: 'integer' })
  totalMin!: number;

  @Column({ type: 'jsonb' })
  checklist!: DischargeChecklist & { notes: string | null };

  @Column({ type: 'text', array: true })
  instructions!: string[];

  @Column({ name: 'vitals_attestation_id', type: 'uuid', nullable: true })
  vitalsAttestationId!: string | null;

  /** Esketamine: the REMS Patient Monitoring Form fields, as assembled at discharge. */
  @Column({ name: 'rems_form', type: 'jsonb', nullable: true })
  remsForm!: Record<string, unknown> | null;
}
