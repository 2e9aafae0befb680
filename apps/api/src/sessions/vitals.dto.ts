import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_READINGS_PER_BATCH, PLAUSIBLE, READING_SOURCES, type ReadingSource } from '#clinic';
import { hasAtMostDecimals, IsTimestamp, isTimestamp, MaxDecimals } from '../http/dto.js';
import { AcceptedWhen, onlyKeys, optionalIntIn } from '../http/fast-accept.js';

const READING_FIELDS = new Set([
  'measuredAt',
  'source',
  'deviceId',
  'systolic',
  'diastolic',
  'heartRate',
  'spo2',
  'respiratoryRate',
  'temperatureC',
  'moaas',
]);
const INT_MEASURES = ['systolic', 'diastolic', 'heartRate', 'spo2', 'respiratoryRate', 'moaas'] as const;
const SOURCES: readonly unknown[] = READING_SOURCES;
const [TEMP_LOW, TEMP_HIGH] = PLAUSIBLE.temperatureC;

/** What VitalReadingDto's decorators accept, checked without them (fast-accept.ts). */
export function acceptsReading(r: unknown): boolean {
  if (!onlyKeys(r, READING_FIELDS) || !isTimestamp(r['measuredAt']) || !SOURCES.includes(r['source'])) return false;
  const deviceId = r['deviceId'];
  if (r['source'] === 'device' || deviceId !== undefined)
    if (typeof deviceId !== 'string' || deviceId.length < 1 || deviceId.length > 100) return false;
  for (const k of INT_MEASURES) if (!optionalIntIn(r[k], PLAUSIBLE[k][0], PLAUSIBLE[k][1])) return false;
  const t = r['temperatureC'];
  return t === undefined || t === null || (hasAtMostDecimals(t, 1) && t >= TEMP_LOW && t <= TEMP_HIGH);
}

/** What VitalsBatchDto's decorators accept, checked without them. */
export function acceptsBatch(b: unknown): boolean {
  if (!onlyKeys(b, BATCH_FIELDS)) return false;
  const readings = b['readings'];
  return Array.isArray(readings) && readings.length >= 1 && readings.length <= MAX_READINGS_PER_BATCH && readings.every(acceptsReading);
}
const BATCH_FIELDS = new Set(['readings']);

/** clinical-rules.md section 3 plausibility: outside these a reading is refused (400) and not stored. */
@AcceptedWhen(acceptsReading)
export class VitalReadingDto {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() measuredAt!: string;
  @ApiProperty({ enum: READING_SOURCES }) @IsIn(READING_SOURCES) source!: ReadingSource;

  @ApiPropertyOptional({ description: 'required for device readings: (device, measuredAt) is stored once' })
  @ValidateIf((o: VitalReadingDto) => o.source === 'device' || o.deviceId !== undefined)
  @IsDefined({ message: 'a device reading needs its device: source=device requires deviceId' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  deviceId?: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 40, maximum: 300 })
  @IsOptional()
  @IsInt()
  @Min(PLAUSIBLE.systolic[0])
  @Max(PLAUSIBLE.systolic[1])
  systolic?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 20, maximum: 200 })
  @IsOptional()
  @IsInt()
  @Min(PLAUSIBLE.diastolic[0])
  @Max(PLAUSIBLE.diastolic[1])
  diastolic?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 20, maximum: 300 })
  @IsOptional()
  @IsInt()
  @Min(PLAUSIBLE.heartRate[0])
  @Max(PLAUSIBLE.heartRate[1])
  heartRate?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 50, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(PLAUSIBLE.spo2[0])
  @Max(PLAUSIBLE.spo2[1])
  spo2?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: 80 })
  @IsOptional()
  @IsInt()
  @Min(PLAUSIBLE.respiratoryRate[0])
  @Max(PLAUSIBLE.respiratoryRate[1])
  respiratoryRate?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 30, maximum: 45 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(1)
  @Min(TEMP_LOW)
  @Max(TEMP_HIGH)
  temperatureC?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(PLAUSIBLE.moaas[0])
  @Max(PLAUSIBLE.moaas[1])
  moaas?: number | null;
}

@AcceptedWhen(acceptsBatch)
export class VitalsBatchDto {
  @ApiProperty({ type: [VitalReadingDto], maxItems: MAX_READINGS_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_READINGS_PER_BATCH)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VitalReadingDto)
  readings!: VitalReadingDto[];
}
