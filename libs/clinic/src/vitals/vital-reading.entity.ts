import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { numeric, User } from '#platform';
import { Session, type ReadingPhase } from '../sessions/index.js';
import type { AlertLevel, Breach } from './evaluate.js';

/** One set of vitals. Never edited; a device resending (device, measured-at) is stored once. */
@Entity({ name: 'vital_readings' })
@Check('ck_vital_readings_source', `"source" IN ('manual', 'device')`)
@Check('ck_vital_readings_bp', `"systolic" IS NULL OR "diastolic" IS NULL OR "systolic" > "diastolic"`)
@Index('ix_vital_readings_session', ['sessionId', 'measuredAt'])
@Index('ux_vital_readings_device', ['sessionId', 'deviceId', 'measuredAt'], { unique: true, where: '"device_id" IS NOT NULL' })
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
  source!: 'manual' | 'device';

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
  breachLevel!: AlertLevel | 'none';

  @Column({ type: 'jsonb', default: () => "'[]'" })
  breaches!: Breach[];

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_vital_readings_recorded_by' })
  recorder?: Relation<User>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz', precision: 3 })
  recordedAt!: Date;
}
