import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { User } from '#platform';
import { Chair } from '../chairs/index.js';
import { Patient } from '../patients/index.js';

export const SERIES_STATUSES = ['active', 'completed', 'cancelled', 'stopped'] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];

/** An induction series booked as a whole (clinical-rules.md section 1), then its maintenance. */
@Entity({ name: 'treatment_series' })
@Check('ck_treatment_series_status', `"status" IN (${SERIES_STATUSES.map((x) => `'${x}'`).join(', ')})`)
@Index('ix_treatment_series_patient', ['patientId', 'createdAt'])
export class TreatmentSeries {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_treatment_series' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_treatment_series_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'protocol_key', type: 'text' })
  protocolKey!: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  /** Local wall-clock time of every session ("09:00"), constant across daylight-saving changes. */
  @Column({ name: 'preferred_time', type: 'text' })
  preferredTime!: string;

  @Column({ name: 'sessions_planned', type: 'integer' })
  sessionsPlanned!: number;

  /** active: induction under way; completed: induction done, maintenance proposed; stopped: maintenance ended. */
  @Column({ type: 'text', default: 'active' })
  status!: SeriesStatus;

  /** Why maintenance stopped (consent withdrawn, discharged from care). */
  @Column({ name: 'stopped_reason', type: 'text', nullable: true })
  stoppedReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}

/** `aborted`: its session's dosing was stopped early; it does not count as a session given. */
export const APPOINTMENT_STATUSES = ['booked', 'tentative', 'checked-in', 'completed', 'aborted', 'cancelled', 'no-show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** What a booking may start as: firm, or tentative (a slot held until confirmed). */
export const BOOKING_STATUSES = ['booked', 'tentative'] as const satisfies readonly AppointmentStatus[];

/**
 * A chair held for dosing, the protocol's minimum observation and the turnover. Two appointments
 * that are not cancelled can never overlap in one chair, nor for one patient: PostgreSQL refuses
 * it (exclusion constraints), whatever races the requests run.
 */
@Entity({ name: 'appointments' })
@Check('ck_appointments_status', `"status" IN (${APPOINTMENT_STATUSES.map((x) => `'${x}'`).join(', ')})`)
@Check('ck_appointments_range', `"ends_at" > "starts_at"`)
@Exclusion(
  'ex_appointments_chair',
  `USING gist ("chair_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" NOT IN ('cancelled', 'no-show'))`,
)
@Exclusion(
  'ex_appointments_patient',
  `USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" NOT IN ('cancelled', 'no-show'))`,
)
@Index('ix_appointments_clinic_time', ['clinicId', 'startsAt'])
@Index('ix_appointments_patient', ['patientId', 'startsAt'])
export class Appointment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_appointments' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @ManyToOne(() => Patient, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_appointments_patient' })
  patient?: Relation<Patient>;

  @Column({ name: 'chair_id', type: 'uuid' })
  chairId!: string;

  @ManyToOne(() => Chair, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chair_id', foreignKeyConstraintName: 'fk_appointments_chair' })
  chair?: Relation<Chair>;

  @Column({ name: 'protocol_key', type: 'text' })
  protocolKey!: string;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt!: Date;

  /** starts_at + dosing + minimum observation + turnover. */
  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt!: Date;

  @Column({ type: 'text' })
  status!: AppointmentStatus;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ name: 'series_id', type: 'uuid', nullable: true })
  seriesId!: string | null;

  @ManyToOne(() => TreatmentSeries, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'series_id', foreignKeyConstraintName: 'fk_appointments_series' })
  series?: Relation<TreatmentSeries>;

  /** What staff should look at before this visit (e.g. consent-withdrawn). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  flags!: string[];

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancelled_by', type: 'uuid', nullable: true })
  cancelledBy!: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_appointments_created_by' })
  creator?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
