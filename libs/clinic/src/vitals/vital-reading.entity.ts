import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { numeric, User } from '#platform';
import { Session, type ReadingPhase } from '../sessions/index.js';
import type { Breach, BreachLevel } from './evaluate.js';

/** Who took a reading: a nurse by hand, or a monitor. */
export const READING_SOURCES = ['manual', 'device'] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];

/**
 * One set of vitals. Never edited: a device resending (device, measured-at) with the same values is
 * stored once; with other values it is a correction, a new reading, and this one is kept, marked
 * superseded (when, by whom, by which reading). Superseded readings are out of every ordinary read
 * (lists, discharge, REMS, the board): TypeORM leaves rows with `superseded_at` set out of `find`
 * and query builders unless asked `withDeleted`.
 */
@Entity({ name: 'vital_readings' })
@Check('ck_vital_readings_source', `"source" IN (${READING_SOURCES.map((s) => `'${s}'`).join(', ')})`)
@Check('ck_vital_readings_bp', `"systolic" IS NULL OR "diastolic" IS NULL OR "systolic" > "diastolic"`)
// A reading a monitor's feed charted has no user behind it (its device_id names the monitor).
@Check('ck_vital_readings_recorder', `"recorded_by" IS NOT NULL OR "source" = 'device'`)
@Index('ix_vital_readings_session', ['sessionId', 'measuredAt'])
@Index('ux_vital_readings_device', ['sessionId', 'deviceId', 'measuredAt'], {
  unique: true,
  where: '"device_id" IS NOT NULL AND "superseded_at" IS NULL',
})
export class VitalReading {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_vital_readings' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_vital_readings_session' })
  session?: Relation<Session>;

  @Column({ name: 'measured_at', type: 'timestamptz', precision: 3 })
  measuredAt!: Date;

  @Column({ type: 'text' })
  source!: ReadingSource;

  @Column({ name: 'device_id', type: 'text', nullable: true })
  deviceId!: string | null;

  @Column({ type: 'text' })
  phase!: ReadingPhase;

  @Column({ type: 'smallint', nullable: true })
  systolic!: number | null;

  @Column({ type: 'smallint', nullable: true })
  diastolic!: number | null;

  @Column({ name: 'heart_rate', type: 'smallint', nullable: true })
  heartRate!: number | null;

  @Column({ type: 'smallint', nullable: true })
  spo2!: number | null;

  @Column({ name: 'respiratory_rate', type: 'smallint', nullable: true })
  respiratoryRate!: number | null;

  @Column({ name: 'temperature_c', type: 'numeric', precision: 4, scale: 1, nullable: true, transformer: numeric })
  temperatureC!: number | null;

  @Column({ type: 'smallint', nullable: true })
  moaas!: number | null;

  /** The most severe breach of this reading ('none' when within every threshold). */
  @Column({ name: 'breach_level', type: 'text', default: 'none' })
  breachLevel!: BreachLevel;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  breaches!: Breach[];

  /**
   * A device reading that arrived more than the clinic's lateReadingPageAfterMin after it was
   * measured: judged and shown like any other, it raised no alert (no stale page).
   */
  @Column({ type: 'boolean', default: false })
  late!: boolean;

  /** Its measurement time came without an offset and was read in its sender's configured zone. */
  @Column({ name: 'time_offset_assumed', type: 'boolean', default: false })
  timeOffsetAssumed!: boolean;

  /** Who charted it; null for a reading a bedside monitor's feed charted on its own. */
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_vital_readings_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;

  /** When a correction (same device and measured time, other values) replaced this reading. */
  @DeleteDateColumn({ name: 'superseded_at', type: 'timestamptz', precision: 3, nullable: true })
  supersededAt!: Date | null;

  /** Whose device upload corrected it. */
  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'superseded_by', foreignKeyConstraintName: 'fk_vital_readings_superseded_by' })
  superseder?: Relation<User>;

  /** The reading that replaced it (written in the same statement group: the key is checked at commit). */
  @Column({ name: 'superseded_by_reading_id', type: 'uuid', nullable: true })
  supersededByReadingId!: string | null;

  @ManyToOne(() => VitalReading, { onDelete: 'RESTRICT', deferrable: 'INITIALLY DEFERRED' })
  @JoinColumn({ name: 'superseded_by_reading_id', foreignKeyConstraintName: 'fk_vital_readings_superseded_by_reading' })
  supersededByReading?: Relation<VitalReading>;
}
