import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Hl7Gateway } from './feed.entity.js';
import type { DeviceField } from '../hl7/index.js';

const FIELDS = `'systolic', 'diastolic', 'heartRate', 'spo2', 'respiratoryRate', 'temperatureC'`;

/**
 * An observation code a monitor gateway sends (OBX-3) and the reading field it fills. Rows without a
 * gateway are Vigil's defaults (seeded with the IEEE 11073-10101 codes, migration DeviceCodeMaps);
 * a gateway's own rows come first. A code with no row is kept raw and never charted nor alarmed.
 */
@Entity({ name: 'device_code_maps' })
@Check('ck_device_code_maps_field', `"field" IS NULL OR "field" IN (${FIELDS})`)
@Check('ck_device_code_maps_unit', `"field" IS NULL OR "unit" IS NOT NULL`)
@Index('ux_device_code_maps_default', ['system', 'code'], { unique: true, where: '"gateway_id" IS NULL' })
@Index('ux_device_code_maps_gateway', ['gatewayId', 'system', 'code'], { unique: true, where: '"gateway_id" IS NOT NULL' })
export class DeviceCodeMap {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_device_code_maps' })
  id!: string;

  /** The gateway these rows are for; null: every gateway (Vigil's defaults). */
  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId!: string | null;

  @ManyToOne(() => Hl7Gateway, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gateway_id', foreignKeyConstraintName: 'fk_device_code_maps_gateway' })
  gateway?: Relation<Hl7Gateway>;

  /** Coding system of OBX-3.3 (MDC for IEEE 11073; a vendor's own, e.g. MDIL). */
  @Column({ type: 'text' })
  system!: string;

  @Column({ type: 'text' })
  code!: string;

  /** The code's reference id (OBX-3.2), matched when a sender leaves the numeric code out. */
  @Column({ type: 'text', nullable: true })
  refid!: string | null;

  /** The reading field it fills; null: known, not charted (mean pressure, invasive pressures). */
  @Column({ type: 'text', nullable: true })
  field!: DeviceField | null;

  /** UCUM unit of the field (values are converted to it through device_unit_maps). */
  @Column({ type: 'text', nullable: true })
  unit!: string | null;

  /** Two codes filling one field at one time: the lower priority is charted. */
  @Column({ type: 'smallint', default: 100 })
  priority!: number;

  /** Where the mapping comes from. */
  @Column({ type: 'text' })
  source!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}

/** A unit as gateways write it (MDC code or REFID, UCUM, free text) and how a value in it converts to `toUnit`. */
@Entity({ name: 'device_unit_maps' })
@Index('ux_device_unit_maps_default', ['unit', 'toUnit'], { unique: true, where: '"gateway_id" IS NULL' })
@Index('ux_device_unit_maps_gateway', ['gatewayId', 'unit', 'toUnit'], { unique: true, where: '"gateway_id" IS NOT NULL' })
export class DeviceUnitMap {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_device_unit_maps' })
  id!: string;

  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId!: string | null;

  @ManyToOne(() => Hl7Gateway, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gateway_id', foreignKeyConstraintName: 'fk_device_unit_maps_gateway' })
  gateway?: Relation<Hl7Gateway>;

  @Column({ type: 'text' })
  unit!: string;

  /** The UCUM unit a code's field is in. */
  @Column({ name: 'to_unit', type: 'text' })
  toUnit!: string;

  /** value in to_unit = value sent × factor + addend. */
  @Column({ type: 'double precision', default: 1 })
  factor!: number;

  @Column({ type: 'double precision', default: 0 })
  addend!: number;

  @Column({ type: 'text' })
  source!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
