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
import { Chair } from '../chairs/index.js';
import { Patient } from '../patients/index.js';
import { ProtocolVersion } from '../protocols/index.js';
import type { SessionStatus } from './session-state.js';

/** The answers of the pre-session checklist: the one list each, for the API and the gate. */
export const TRANSPORT_HOME = ['escort', 'arranged-transport', 'none'] as const;
export const PREGNANCY_STATUSES = ['not-applicable', 'not-pregnant', 'pregnant', 'unknown'] as const;
export const CSSRS_SCREENER_RESULTS = ['negative', 'low-risk', 'high-risk', 'not-taken'] as const;

export interface PreChecks {
  transportHome: (typeof TRANSPORT_HOME)[number];
  escortName: string | null;
  lastFoodAt: string | null;
  lastLiquidsAt: string | null;
  pregnancyStatus: (typeof PREGNANCY_STATUSES)[number] | null;
  cssrsScreener: (typeof CSSRS_SCREENER_RESULTS)[number];
  notes: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface StartOverride {
  code: string;
  reason: string;
  by: string;
}

/** One treatment session: its state, the protocol version it runs on, its dose order and timestamps. */
@Entity({ name: 'sessions' })
@Check(
  'ck_sessions_status',
  `"status" IN ('scheduled', 'checked_in', 'ready', 'dosing', 'paused', 'observation', 'aborted', 'discharged', 'cancelled', 'no_show')`,
)
@Index('ix_sessions_clinic_status', ['clinicId', 'status', 'createdAt'])
@Index('ix_sessions_patient', ['patientId', 'createdAt'])
// One session in progress per patient: a second check-in while one runs is refused (409).
@Index('ux_sessions_patient_active', ['patientId'], {
  unique: true,
  where: `"status" IN ('checked_in', 'ready', 'dosing', 'paused', 'observation', 'aborted')`,
})
// One session in progress per chair: a monitor's reading belongs to exactly one session (409 CHAIR_IN_USE).
@Index('ux_sessions_chair_active', ['chairId'], {
  unique: true,
  where: `"chair_id" IS NOT NULL AND "status" IN ('checked_in', 'ready', 'dosing', 'paused', 'observation', 'aborted')`,
})
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sessions' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_sessions_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'protocol_key', type: 'text' })
  protocolKey!: string;

  /** The protocol version the session runs on: the clinic's current one at creation, pinned again at start. */
  @Column({ name: 'protocol_version_id', type: 'uuid' })
  protocolVersionId!: string;

  @ManyToOne(() => ProtocolVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'protocol_version_id', foreignKeyConstraintName: 'fk_sessions_protocol_version' })
  protocolVersion?: Relation<ProtocolVersion>;

  @Column({ name: 'appointment_id', type: 'uuid', nullable: true })
  appointmentId!: string | null;

  @Column({ type: 'text' })
  status!: SessionStatus;

  /** The nurse who checked the patient in. */
  @Column({ name: 'nurse_user_id', type: 'uuid', nullable: true })
  nurseUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'nurse_user_id', foreignKeyConstraintName: 'fk_sessions_nurse' })
  nurse?: Relation<User>;

  /** The anesthesiologist on site for this session (the esketamine prescriber; first to be called). */
  @Column({ name: 'anesthesiologist_user_id', type: 'uuid', nullable: true })
  anesthesiologistUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'anesthesiologist_user_id', foreignKeyConstraintName: 'fk_sessions_anesthesiologist' })
  anesthesiologist?: Relation<User>;

  @Column({ name: 'chair_label', type: 'text', nullable: true })
  chairLabel!: string | null;

  /** The chair the patient sits in (from the check-in, else the appointment's): bedside monitors bound to it chart into this session. */
  @Column({ name: 'chair_id', type: 'uuid', nullable: true })
  chairId!: string | null;

  @ManyToOne(() => Chair, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chair_id', foreignKeyConstraintName: 'fk_sessions_chair' })
  chair?: Relation<Chair>;

  @Column({ name: 'pre_checks', type: 'jsonb', nullable: true })
  preChecks!: PreChecks | null;

  @Column({ name: 'start_overrides', type: 'jsonb', default: () => "'[]'" })
  startOverrides!: StartOverride[];

  @Column({ name: 'baseline_reading_id', type: 'uuid', nullable: true })
  baselineReadingId!: string | null;

  // The dose order, fixed at start.
  @Column({ name: 'dose_mg_per_kg', type: 'numeric', precision: 6, scale: 3, nullable: true, transformer: numeric })
  doseMgPerKg!: number | null;

  @Column({ name: 'ordered_dose_mg', type: 'numeric', precision: 8, scale: 3, nullable: true, transformer: numeric })
  orderedDoseMg!: number | null;

  @Column({ name: 'dose_mg', type: 'numeric', precision: 7, scale: 1, nullable: true, transformer: numeric })
  doseMg!: number | null;

  @Column({ name: 'weight_kg', type: 'numeric', precision: 7, scale: 3, nullable: true, transformer: numeric })
  weightKg!: number | null;

  @Column({ name: 'concentration_mg_per_ml', type: 'numeric', precision: 7, scale: 3, nullable: true, transformer: numeric })
  concentrationMgPerMl!: number | null;

  @Column({ name: 'rate_mg_per_h', type: 'numeric', precision: 8, scale: 1, nullable: true, transformer: numeric })
  rateMgPerH!: number | null;

  @Column({ name: 'rate_ml_per_h', type: 'numeric', precision: 8, scale: 1, nullable: true, transformer: numeric })
  rateMlPerH!: number | null;

  @Column({ name: 'duration_min', type: 'integer', nullable: true })
  durationMin!: number | null;

  @Column({ type: 'integer', nullable: true })
  devices!: number | null;

  /**
   * The dose of record given, set once at the end of dosing or its abort: measured (drawn − left in
   * the bag) when the nurse measured the bag, else computed from the pump history (esketamine: the
   * devices given). The controlled-substance ledger reads this column.
   */
  @Column({ name: 'delivered_dose_mg', type: 'numeric', precision: 7, scale: 1, nullable: true, transformer: numeric })
  deliveredDoseMg!: number | null;

  /** The delivered dose computed from the pump history (pauses, rate changes, end or abort) or the devices given. */
  @Column({ name: 'computed_dose_mg', type: 'numeric', precision: 7, scale: 1, nullable: true, transformer: numeric })
  computedDoseMg!: number | null;

  /** The volume the nurse measured left in the bag at the end (null: not measured). */
  @Column({ name: 'bag_remaining_ml', type: 'numeric', precision: 7, scale: 1, nullable: true, transformer: numeric })
  bagRemainingMl!: number | null;

  @Column({ name: 'checked_in_at', type: 'timestamptz', precision: 3, nullable: true })
  checkedInAt!: Date | null;

  @Column({ name: 'dosing_started_at', type: 'timestamptz', precision: 3, nullable: true })
  dosingStartedAt!: Date | null;

  @Column({ name: 'dosing_ended_at', type: 'timestamptz', precision: 3, nullable: true })
  dosingEndedAt!: Date | null;

  /** When the minimum observation starts counting (dosing end, or the first device for esketamine). */
  @Column({ name: 'observation_from', type: 'timestamptz', precision: 3, nullable: true })
  observationFrom!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason!: string | null;

  /** Time of the latest timeline event: a late-charted event may not go before it. */
  @Column({ name: 'last_event_at', type: 'timestamptz', precision: 3, nullable: true })
  lastEventAt!: Date | null;

  @Column({ name: 'last_reading_at', type: 'timestamptz', precision: 3, nullable: true })
  lastReadingAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}

/** The timeline: every transition and dose change with who and when (vitals and alerts have their own tables). */
@Entity({ name: 'session_events' })
@Index('ix_session_events_session', ['sessionId', 'occurredAt'])
export class SessionEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_session_events' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_session_events_session' })
  session?: Relation<Session>;

  /** The verb (check-in, start, pause, rate-change, …). */
  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: SessionStatus | null;

  @Column({ name: 'to_status', type: 'text', nullable: true })
  toStatus!: SessionStatus | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  /** null for what Vigil itself records (the minimum observation has passed). */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_user_id', foreignKeyConstraintName: 'fk_session_events_actor' })
  actor?: Relation<User>;

  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;
}

/** Controlled-substance log: every administration (patient, time, dose, route, lot, clinician). Append-only. */
@Entity({ name: 'dose_administrations' })
@Index('ix_dose_administrations_session', ['sessionId'])
@Index('ix_dose_administrations_clinic', ['clinicId', 'administeredAt'])
export class DoseAdministration {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_dose_administrations' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_dose_administrations_session' })
  session?: Relation<Session>;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @Column({ type: 'text' })
  drug!: 'ketamine' | 'esketamine';

  @Column({ type: 'text' })
  route!: string;

  @Column({ name: 'dose_mg', type: 'numeric', precision: 7, scale: 1, transformer: numeric })
  doseMg!: number;

  @Column({ name: 'lot_number', type: 'text' })
  lotNumber!: string;

  @Column({ name: 'administered_by', type: 'uuid' })
  administeredBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'administered_by', foreignKeyConstraintName: 'fk_dose_administrations_by' })
  administrator?: Relation<User>;

  @Column({ name: 'administered_at', type: 'timestamptz', precision: 3 })
  administeredAt!: Date;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;
}
