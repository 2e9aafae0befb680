import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Clinic, User } from '#platform';
import { Chair } from '../chairs/index.js';
import { Session } from '../sessions/index.js';
import { VitalReading } from '../vitals/index.js';
import { Monitor } from './monitor.entity.js';

/**
 * A sender of HL7 messages (a monitor gateway, or a monitor talking HL7 itself), known by MSH-3 and
 * MSH-4 and recorded when it first sends. Its clinic is learned from the monitors it speaks for;
 * its time zone (for times sent without an offset) defaults to that clinic's.
 */
@Entity({ name: 'hl7_gateways' })
@Index('ux_hl7_gateways_sender', ['sendingApplication', 'sendingFacility'], { unique: true })
export class Hl7Gateway {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_hl7_gateways' })
  id!: string;

  @Column({ name: 'sending_application', type: 'text' })
  sendingApplication!: string;

  @Column({ name: 'sending_facility', type: 'text' })
  sendingFacility!: string;

  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_hl7_gateways_clinic' })
  clinic?: Relation<Clinic>;

  /** IANA zone of times sent without an offset; null: the clinic's. */
  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone!: string | null;

  /** MSH-11 values taken from it (P; a test system may be allowed T). */
  @Column({ name: 'processing_ids', type: 'text', array: true, default: () => "'{P}'" })
  processingIds!: string[];

  @Column({ name: 'first_seen_at', type: 'timestamptz', precision: 3 })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', precision: 3 })
  lastSeenAt!: Date;

  @Column({ name: 'last_peer', type: 'text', nullable: true })
  lastPeer!: string | null;

  /**
   * Its clock: consecutive messages whose MSH-7 was more than 5 minutes from their arrival, since
   * when, the last difference seen (seconds, + when the gateway is ahead), and when its clinic's
   * administrators were warned of this episode (null: not warned, or the clock is back in step).
   */
  @Column({ name: 'clock_drift_count', type: 'integer', default: 0 })
  clockDriftCount!: number;

  @Column({ name: 'clock_drift_since', type: 'timestamptz', precision: 3, nullable: true })
  clockDriftSince!: Date | null;

  @Column({ name: 'clock_drift_sec', type: 'integer', nullable: true })
  clockDriftSec!: number | null;

  @Column({ name: 'clock_drift_warned_at', type: 'timestamptz', precision: 3, nullable: true })
  clockDriftWarnedAt!: Date | null;
}

export const MESSAGE_OUTCOMES = ['accepted', 'duplicate', 'refused', 'rejected', 'unreadable'] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

/**
 * Every frame received on the HL7 listener, as received (bytes), with the gateway, the peer, the
 * control id, the ACK sent and what came of it: a bad feed is diagnosed from here. A message
 * accepted or refused is the answer its resends get again (one per gateway and control id).
 */
@Entity({ name: 'hl7_messages' })
@Check('ck_hl7_messages_ack', `"ack_code" IS NULL OR "ack_code" IN ('AA', 'AE', 'AR')`)
@Check('ck_hl7_messages_outcome', `"outcome" IN ('accepted', 'duplicate', 'refused', 'rejected', 'unreadable')`)
@Index('ux_hl7_messages_control', ['gatewayId', 'controlId'], {
  unique: true,
  where: `"duplicate_of" IS NULL AND "ack_code" IN ('AA', 'AE') AND "control_id" IS NOT NULL`,
})
@Index('ix_hl7_messages_clinic', ['clinicId', 'receivedAt'])
@Index('ix_hl7_messages_received', ['receivedAt'])
// The retention sweep deletes originals only once no resend points at them; the key is checked per row deleted.
@Index('ix_hl7_messages_duplicate_of', ['duplicateOf'], { where: '"duplicate_of" IS NOT NULL' })
export class FeedMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_hl7_messages' })
  id!: string;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt!: Date;

  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId!: string | null;

  @ManyToOne(() => Hl7Gateway, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gateway_id', foreignKeyConstraintName: 'fk_hl7_messages_gateway' })
  gateway?: Relation<Hl7Gateway>;

  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_hl7_messages_clinic' })
  clinic?: Relation<Clinic>;

  /** The TCP peer, address:port. */
  @Column({ type: 'text' })
  peer!: string;

  @Column({ name: 'control_id', type: 'text', nullable: true })
  controlId!: string | null;

  /** MSH-7, for clock drift. */
  @Column({ name: 'message_time', type: 'timestamptz', precision: 3, nullable: true })
  messageTime!: Date | null;

  /** The frame's bytes between its start and end marks. */
  @Column({ type: 'bytea' })
  raw!: Buffer;

  @Column({ name: 'ack_code', type: 'text', nullable: true })
  ackCode!: 'AA' | 'AE' | 'AR' | null;

  /** The ACK sent, as sent; null when none could be (no readable MSH). */
  @Column({ type: 'text', nullable: true })
  ack!: string | null;

  @Column({ type: 'text' })
  outcome!: MessageOutcome;

  /** A resend: the message whose answer it got again. */
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOf!: string | null;

  @ManyToOne(() => FeedMessage, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'duplicate_of', foreignKeyConstraintName: 'fk_hl7_messages_duplicate_of' })
  original?: Relation<FeedMessage>;

  /** What came of it: problems (ERR), readings stored per session, readings kept unbound, codes kept raw. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}

export const UNBOUND_REASONS = ['unknown-device', 'no-session', 'session-ended', 'patient-mismatch'] as const;
export type UnboundReason = (typeof UNBOUND_REASONS)[number];
/** An unbound reading waits for a nurse (open) until attached to a session or discarded with a reason. */
export const UNBOUND_STATUSES = ['open', 'attached', 'discarded'] as const;
export type UnboundStatus = (typeof UNBOUND_STATUSES)[number];

/**
 * A reading a monitor sent that Vigil could not put in a session: an unknown device, no session in
 * progress in its chair at that time, or a patient on the monitor who is not the session's. Kept
 * (never alarming) for nurses to attach to the right session or discard. Stored once per device and time.
 */
@Entity({ name: 'unbound_readings' })
@Check('ck_unbound_readings_reason', `"reason" IN ('unknown-device', 'no-session', 'session-ended', 'patient-mismatch')`)
@Check('ck_unbound_readings_status', `"status" IN ('open', 'attached', 'discarded')`)
// Resolved by a nurse; or discarded by nobody: every value withdrawn by the device itself (OBX-11 D, W).
@Check(
  'ck_unbound_readings_resolved',
  `("status" = 'open') = ("resolved_at" IS NULL) AND ("status" = 'discarded' OR ("resolved_at" IS NULL) = ("resolved_by" IS NULL))`,
)
@Check('ck_unbound_readings_attached', `"status" <> 'attached' OR ("session_id" IS NOT NULL AND "reading_id" IS NOT NULL)`)
@Check('ck_unbound_readings_discarded', `"status" <> 'discarded' OR "resolve_reason" IS NOT NULL`)
@Index('ux_unbound_readings_device', ['deviceId', 'measuredAt'], { unique: true })
@Index('ix_unbound_readings_clinic', ['clinicId', 'status', 'measuredAt'])
// The retention sweep keeps the messages unbound readings came from.
@Index('ix_unbound_readings_message', ['messageId'])
export class UnboundReading {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_unbound_readings' })
  id!: string;

  /** The monitor's clinic; else the gateway's, or Vigil's only one; null when no clinic can be told. */
  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_unbound_readings_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => FeedMessage, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_unbound_readings_message' })
  message?: Relation<FeedMessage>;

  @Column({ name: 'monitor_id', type: 'uuid', nullable: true })
  monitorId!: string | null;

  @ManyToOne(() => Monitor, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'monitor_id', foreignKeyConstraintName: 'fk_unbound_readings_monitor' })
  monitor?: Relation<Monitor>;

  @Column({ name: 'chair_id', type: 'uuid', nullable: true })
  chairId!: string | null;

  @ManyToOne(() => Chair, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'chair_id', foreignKeyConstraintName: 'fk_unbound_readings_chair' })
  chair?: Relation<Chair>;

  /** The device as its readings name it (its EUI-64, else its bed location). */
  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  /** PID-3 as the monitor sent it. */
  @Column({ name: 'patient_mrn', type: 'text', nullable: true })
  patientMrn!: string | null;

  @Column({ name: 'measured_at', type: 'timestamptz', precision: 3 })
  measuredAt!: Date;

  /** The time came without an offset and was read in the gateway's zone. */
  @Column({ name: 'zone_assumed', type: 'boolean', default: false })
  zoneAssumed!: boolean;

  /** systolic, diastolic, heartRate, spo2, respiratoryRate, temperatureC as converted. */
  @Column({ type: 'jsonb' })
  values!: Record<string, number>;

  @Column({ type: 'text' })
  reason!: UnboundReason;

  @Column({ type: 'text', default: 'open' })
  status!: UnboundStatus;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt!: Date;

  /** The session a nurse attached it to, and the reading it became there. */
  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_unbound_readings_session' })
  session?: Relation<Session>;

  @Column({ name: 'reading_id', type: 'uuid', nullable: true })
  readingId!: string | null;

  @ManyToOne(() => VitalReading, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reading_id', foreignKeyConstraintName: 'fk_unbound_readings_reading' })
  reading?: Relation<VitalReading>;

  /** Who attached or discarded it (null: discarded because the device withdrew every value), when, and (discarded) why. */
  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resolved_by', foreignKeyConstraintName: 'fk_unbound_readings_resolved_by' })
  resolver?: Relation<User>;

  @Column({ name: 'resolved_at', type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolve_reason', type: 'text', nullable: true })
  resolveReason!: string | null;
}
