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
  type Relation,
} from 'typeorm';
import { User } from '#platform';
import { Session } from '../sessions/index.js';

/** An alert's lifecycle, in order. */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** How urgent an alert is: nurses handle warnings, critical alerts need an anesthesiologist. */
export const ALERT_LEVELS = ['warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];
/**
 * What an alert is about, the one list the API schema uses: `blood-pressure` (one alert per reading
 * for systolic and diastolic together), the other vitals measures, `emergency` (crisis symptoms),
 * `vitals-overdue`, the REMS 40-minute blood pressure, suicide risk. `systolic` and `diastolic`
 * are kept for alerts raised before blood pressure became one alert.
 */
export const ALERT_MEASURES = [
  'blood-pressure',
  'heartRate',
  'spo2',
  'respiratoryRate',
  'moaas',
  'emergency',
  'vitals-overdue',
  'rems-40-min-bp',
  'suicide-risk',
  'systolic',
  'diastolic',
] as const;
export type AlertMeasure = (typeof ALERT_MEASURES)[number];

/**
 * open → acknowledged → resolved, with who and when. At most one unresolved alert per
 * (session, measure, level): a later breach of the same kind attaches its reading to it.
 */
@Entity({ name: 'alerts' })
@Check('ck_alerts_status', `"status" IN (${ALERT_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck_alerts_level', `"level" IN (${ALERT_LEVELS.map((l) => `'${l}'`).join(', ')})`)
@Index('ux_alerts_unresolved', ['sessionId', 'measure', 'level'], { unique: true, where: `"status" <> 'resolved'` })
@Index('ix_alerts_clinic_status', ['clinicId', 'status', 'openedAt'])
@Index('ix_alerts_session', ['sessionId', 'openedAt'])
export class Alert {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_alerts' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_alerts_session' })
  session?: Relation<Session>;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @Column({ type: 'text' })
  measure!: AlertMeasure;

  @Column({ type: 'text' })
  level!: AlertLevel;

  @Column({ type: 'text' })
  status!: AlertStatus;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'reading_count', type: 'integer', default: 0 })
  readingCount!: number;

  @Column({ name: 'last_reading_id', type: 'uuid', nullable: true })
  lastReadingId!: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3 })
  openedAt!: Date;

  @Column({ name: 'opened_by', type: 'uuid', nullable: true })
  openedBy!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'acknowledged_by', foreignKeyConstraintName: 'fk_alerts_acknowledged_by' })
  acknowledger?: Relation<User>;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resolved_by', foreignKeyConstraintName: 'fk_alerts_resolved_by' })
  resolver?: Relation<User>;

  @Column({ name: 'resolution_note', type: 'text', nullable: true })
  resolutionNote!: string | null;

  /** 0 not escalated, 1 to the session's anesthesiologist, 2 to every anesthesiologist. */
  @Column({ name: 'escalation_level', type: 'smallint', default: 0 })
  escalationLevel!: number;

  @Column({ name: 'escalated_at', type: 'timestamptz', precision: 3, nullable: true })
  escalatedAt!: Date | null;
}

/** The readings that breached into an alert. */
@Entity({ name: 'alert_readings' })
export class AlertReading {
  @PrimaryColumn({ name: 'alert_id', type: 'uuid', primaryKeyConstraintName: 'pk_alert_readings' })
  alertId!: string;

  @PrimaryColumn({ name: 'reading_id', type: 'uuid', primaryKeyConstraintName: 'pk_alert_readings' })
  readingId!: string;

  @ManyToOne(() => Alert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_alert_readings_alert' })
  alert?: Relation<Alert>;
}

/**
 * What the alert stream sends: a change of an alert (its data: the alert; `repeated` is a new
 * breach joining an acknowledged alert), or news of a session (`observation-complete`).
 */
export const ALERT_EVENT_TYPES = ['raised', 'acknowledged', 'repeated', 'escalated', 'resolved'] as const;
export const SESSION_EVENT_TYPES = ['observation-complete'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number] | (typeof SESSION_EVENT_TYPES)[number];

/**
 * What the alert stream sends, in order: the id is the SSE event id, so a client reconnecting
 * with Last-Event-ID is replayed what it missed from here.
 */
@Entity({ name: 'alert_events' })
@Index('ix_alert_events_clinic', ['clinicId', 'id'])
export class AlertEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'pk_alert_events' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  /** The alert, or null for a session event (observation complete). */
  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId!: string | null;

  @ManyToOne(() => Alert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'fk_alert_events_alert' })
  alert?: Relation<Alert>;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ type: 'text' })
  type!: AlertEventType;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
