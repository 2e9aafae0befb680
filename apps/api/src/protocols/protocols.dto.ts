import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
import {
  CONSENT_KINDS,
  DOSE_ROUTES,
  DOSE_RULE_KINDS,
  OBSERVATION_STARTS,
  SCREENING_ITEMS,
  type DoseRoute,
  type DoseRule,
  type ObservationStart,
} from '#clinic';
import { OptionalNotNull, MaxDecimals } from '../http/dto.js';

const ABSOLUTE_CODES = SCREENING_ITEMS.filter((i) => i.severity === 'absolute').map((i) => i.code);
const mgPerKg = () => IsNumber({ allowNaN: false, allowInfinity: false });
/** Each sub-object is replaced whole: send every field of it. */
const Nested = (type: () => new () => object) => [IsObject(), ValidateNested(), Type(type)];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

export class DoseStepDto {
  @ApiProperty({ type: Number, nullable: true, description: 'sessions at this dose; null: every session after' })
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(100)
  sessions!: number | null;

  @ApiProperty() @mgPerKg() @MaxDecimals(3) @Min(0.01) @Max(5) mgPerKg!: number;
}

export class DoseRuleDto {
  @ApiProperty({ enum: DOSE_RULE_KINDS }) @IsIn(DOSE_RULE_KINDS) kind!: DoseRule['kind'];

  @ApiPropertyOptional({ type: [DoseStepDto] })
  @ValidateIf((o: DoseRuleDto) => o.kind === 'weight-based')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DoseStepDto)
  steps?: DoseStepDto[];

  @ApiPropertyOptional() @ValidateIf((o: DoseRuleDto) => o.kind === 'fixed-devices') @IsInt() @Min(1) @Max(1000) deviceMg?: number;

  @ApiPropertyOptional({ type: [Number] })
  @ValidateIf((o: DoseRuleDto) => o.kind === 'fixed-devices')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  allowedDosesMg?: number[];

  @ApiPropertyOptional() @ValidateIf((o: DoseRuleDto) => o.kind === 'fixed-devices') @IsInt() @Min(1) @Max(1000) firstDoseMg?: number;
  @ApiPropertyOptional()
  @ValidateIf((o: DoseRuleDto) => o.kind === 'fixed-devices')
  @IsInt()
  @Min(0)
  @Max(60)
  minutesBetweenDevices?: number;
}

export class DoseLimitsDto {
  @ApiProperty() @mgPerKg() @MaxDecimals(3) @Min(0.01) @Max(5) minMgPerKg!: number;
  @ApiProperty() @mgPerKg() @MaxDecimals(3) @Min(0.01) @Max(5) maxMgPerKg!: number;
  @ApiProperty() @mgPerKg() @MaxDecimals(3) @Min(0.01) @Max(5) maxStepMgPerKg!: number;
}

export class CheckpointWindowDto {
  @ApiProperty() @IsInt() @Min(0) @Max(60) before!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(60) after!: number;
}

export class VitalsScheduleDto {
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(120) duringDosingEveryMin!:
    number | null;
  @ApiProperty() @IsInt() @Min(1) @Max(120) observationEveryMin!: number;
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(600, { each: true })
  checkpointsMin!: number[];
  @ApiProperty() @IsInt() @Min(1) @Max(60) overdueAfterMin!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(60) dischargeMaxAgeMin!: number;
  @ApiProperty({ type: CheckpointWindowDto }) @apply(...Nested(() => CheckpointWindowDto)) checkpointWindowMin!: CheckpointWindowDto;
}

export class PreSessionDto {
  @ApiProperty() @IsInt() @Min(1) @Max(240) baselineMaxAgeMin!: number;
  @ApiProperty() @IsInt() @Min(80) @Max(250) baselineMaxSystolic!: number;
  @ApiProperty() @IsInt() @Min(40) @Max(150) baselineMaxDiastolic!: number;
  @ApiProperty() @IsBoolean() escortRequired!: boolean;
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(0) @Max(1440) fastingFoodMin!:
    number | null;
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(0) @Max(1440) fastingLiquidsMin!:
    number | null;
  @ApiProperty() @IsBoolean() remsEnrollmentRequired!: boolean;
  @ApiProperty() @IsBoolean() prescriberOnSiteRequired!: boolean;
}

export class InductionPhaseDto {
  @ApiProperty() @IsInt() @Min(1) @Max(50) sessions!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(7) perWeek!: number;
}

export class WindowDaysDto {
  @ApiProperty() @IsInt() @Min(1) @Max(365) min!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(365) max!: number;
}

export class InductionDto {
  @ApiProperty({ type: [InductionPhaseDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => InductionPhaseDto)
  phases!: InductionPhaseDto[];

  @ApiProperty() @IsInt() @Min(0) @Max(30) minDaysApart!: number;

  @ApiProperty({ type: WindowDaysDto, nullable: true })
  @ValidateIf((_o, v) => v !== null)
  @apply(...Nested(() => WindowDaysDto))
  windowDays!: WindowDaysDto | null;
}

export class MaintenanceDto {
  @ApiProperty() @IsInt() @Min(1) @Max(365) intervalDays!: number;
  @ApiProperty({ type: [Number] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(365, { each: true })
  allowedIntervalDays!: number[];
}

export class LevelPairDto {
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(400) warning!: number | null;
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0) @Max(400) critical!: number | null;
}

export class SystolicThresholdsDto {
  @ApiProperty({ type: LevelPairDto }) @apply(...Nested(() => LevelPairDto)) high!: LevelPairDto;
  @ApiProperty({ type: LevelPairDto }) @apply(...Nested(() => LevelPairDto)) low!: LevelPairDto;
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(200) riseWarning!: number | null;
}

export class DiastolicThresholdsDto {
  @ApiProperty({ type: LevelPairDto }) @apply(...Nested(() => LevelPairDto)) high!: LevelPairDto;
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(200) riseWarning!: number | null;
}

export class HighLowDto {
  @ApiProperty({ type: LevelPairDto }) @apply(...Nested(() => LevelPairDto)) high!: LevelPairDto;
  @ApiProperty({ type: LevelPairDto }) @apply(...Nested(() => LevelPairDto)) low!: LevelPairDto;
}

export class LowOnlyDto {
  @ApiProperty({ type: LevelPairDto }) @apply(...Nested(() => LevelPairDto)) low!: LevelPairDto;
}

export class MoaasThresholdsDto {
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(5) dropWarning!: number | null;
  @ApiProperty({ type: Number, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsInt() @Min(0) @Max(5) criticalAtOrBelow!:
    number | null;
}

export class ThresholdSetDto {
  @ApiProperty({ type: SystolicThresholdsDto }) @apply(...Nested(() => SystolicThresholdsDto)) systolic!: SystolicThresholdsDto;
  @ApiProperty({ type: DiastolicThresholdsDto }) @apply(...Nested(() => DiastolicThresholdsDto)) diastolic!: DiastolicThresholdsDto;
  @ApiProperty({ type: HighLowDto }) @apply(...Nested(() => HighLowDto)) heartRate!: HighLowDto;
  @ApiProperty({ type: LowOnlyDto }) @apply(...Nested(() => LowOnlyDto)) spo2!: LowOnlyDto;
  @ApiProperty({ type: HighLowDto }) @apply(...Nested(() => HighLowDto)) respiratoryRate!: HighLowDto;
  @ApiProperty({ type: MoaasThresholdsDto }) @apply(...Nested(() => MoaasThresholdsDto)) moaas!: MoaasThresholdsDto;
  @ApiProperty() @IsInt() @Min(1) @Max(10) deviceWarningConsecutive!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(60) deviceWarningWindowMin!: number;
}

/** PATCH /protocols/:key: the fields to change, a reason, and the version you edited. */
export class EditProtocolDto {
  @ApiProperty({ description: 'why; kept on the version and in the audit trail' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
  @ApiPropertyOptional({ description: 'the version you read; 409 STALE_VERSION when it changed meanwhile' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: DoseRuleDto }) @OptionalNotNull() @apply(...Nested(() => DoseRuleDto)) doseRule?: DoseRuleDto;
  @ApiPropertyOptional({ type: DoseLimitsDto }) @OptionalNotNull() @apply(...Nested(() => DoseLimitsDto)) doseLimits?: DoseLimitsDto;
  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(600) durationMin?: number | null;
  @ApiPropertyOptional() @OptionalNotNull() @IsInt() @Min(0) @Max(600) minObservationMin?: number;
  @ApiPropertyOptional({ enum: OBSERVATION_STARTS }) @OptionalNotNull() @IsIn(OBSERVATION_STARTS) observationFrom?: ObservationStart;
  @ApiPropertyOptional() @OptionalNotNull() @IsInt() @Min(18) @Max(120) minAgeYears?: number;
  @ApiPropertyOptional() @OptionalNotNull() @IsInt() @Min(1) @Max(365) weightMaxAgeDays?: number;
  @ApiPropertyOptional({ type: VitalsScheduleDto })
  @OptionalNotNull()
  @apply(...Nested(() => VitalsScheduleDto))
  vitals?: VitalsScheduleDto;
  @ApiPropertyOptional({ type: PreSessionDto }) @OptionalNotNull() @apply(...Nested(() => PreSessionDto)) preSession?: PreSessionDto;

  @ApiPropertyOptional({ type: [String], enum: CONSENT_KINDS })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(CONSENT_KINDS.length)
  @IsIn(CONSENT_KINDS, { each: true })
  requiredConsentKinds?: string[];

  @ApiPropertyOptional({ type: [String], enum: ABSOLUTE_CODES })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(ABSOLUTE_CODES.length)
  @IsIn(ABSOLUTE_CODES, { each: true })
  absoluteContraindications?: string[];

  @ApiPropertyOptional({ type: InductionDto }) @OptionalNotNull() @apply(...Nested(() => InductionDto)) induction?: InductionDto;
  @ApiPropertyOptional({ type: MaintenanceDto }) @OptionalNotNull() @apply(...Nested(() => MaintenanceDto)) maintenance?: MaintenanceDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'this protocol’s overrides of the clinic thresholds, any subset of the threshold set (e.g. {"systolic":{"high":{"warning":150}}}); {} clears them',
  })
  @OptionalNotNull()
  @IsObject()
  thresholds?: Record<string, unknown>;
}

export class ProtocolKeyParam {
  @ApiProperty({ example: 'ketamine-iv-standard' }) @IsString() @MinLength(1) @MaxLength(100) key!: string;
}

export class ProtocolDto {
  @ApiProperty({ format: 'uuid', description: 'this version’s id; a session keeps it' }) id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'true when this clinic has edited Vigil’s default' }) clinicEdited!: boolean;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DOSE_ROUTES }) route!: DoseRoute;
  @ApiProperty({ type: DoseRuleDto }) doseRule!: DoseRuleDto;
  @ApiProperty({ type: DoseLimitsDto, nullable: true }) doseLimits!: DoseLimitsDto | null;
  @ApiProperty({ type: Number, nullable: true }) durationMin!: number | null;
  @ApiProperty() minObservationMin!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'a label minimum nobody may go below' }) observationFloorMin!: number | null;
  @ApiProperty({ enum: OBSERVATION_STARTS }) observationFrom!: ObservationStart;
  @ApiProperty() minAgeYears!: number;
  @ApiProperty() weightMaxAgeDays!: number;
  @ApiProperty({ type: VitalsScheduleDto }) vitals!: VitalsScheduleDto;
  @ApiProperty({ type: PreSessionDto }) preSession!: PreSessionDto;
  @ApiProperty({ type: [String], enum: CONSENT_KINDS }) requiredConsentKinds!: string[];
  @ApiProperty({ type: [String], enum: ABSOLUTE_CODES }) absoluteContraindications!: string[];
  @ApiProperty({ type: InductionDto }) induction!: InductionDto;
  @ApiProperty({ type: MaintenanceDto }) maintenance!: MaintenanceDto;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'this protocol’s overrides of the clinic thresholds' })
  thresholds!: Record<string, unknown>;
  @ApiProperty({ type: ThresholdSetDto, description: 'clinic thresholds with this protocol’s overrides applied' })
  effectiveThresholds!: ThresholdSetDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'where each figure comes from: LABEL, SOURCED or CLINIC',
  })
  sources!: Record<string, string>;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ProtocolPageDto {
  @ApiProperty({ type: [ProtocolDto] }) items!: ProtocolDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
