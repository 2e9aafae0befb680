import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CRISIS_SYMPTOMS,
  CSSRS_SCREENER_RESULTS,
  PREGNANCY_STATUSES,
  READINGS_PAGE,
  SESSION_STATUSES,
  TRANSPORT_HOME,
  type CrisisSymptom,
  type PreChecks,
  type SessionStatus,
} from '#clinic';
import { IsCalendarDate, IsTimestamp, OptionalNotNull, MaxDecimals, PageQuery } from '../http/dto.js';

export class CreateSessionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() patientId!: string;
  @ApiProperty({ example: 'ketamine-iv-standard' }) @IsString() @MinLength(1) @MaxLength(100) protocol!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() appointmentId?: string;
}

/** `?limit=&cursor=` (default 50, at most 200) with the filters of the clinic's sessions. */
export class ListSessionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SESSION_STATUSES }) @IsOptional() @IsIn(SESSION_STATUSES) status?: SessionStatus;
  @ApiPropertyOptional({ format: 'date', description: 'the clinic’s calendar day' }) @IsOptional() @IsCalendarDate() date?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() patientId?: string;
}

/** `?limit=&cursor=` of a session's readings: a long session holds thousands, so pages are larger than elsewhere. */
export class ReadingsPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: READINGS_PAGE.maxLimit, default: READINGS_PAGE.defaultLimit })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(READINGS_PAGE.maxLimit)
  limit: number = READINGS_PAGE.defaultLimit;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** Every transition may be charted up to 15 minutes late. */
export class TransitionDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'when it happened: up to 15 min ago, not before the previous event; default now',
  })
  @OptionalNotNull()
  @IsTimestamp()
  occurredAt?: string;
}

export class ReasonDto extends TransitionDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

export class OptionalReasonDto extends TransitionDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(2000) reason?: string;
}

export class CheckInDto extends TransitionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the anesthesiologist on site for this session (default: you, if you are one)' })
  @OptionalNotNull()
  @IsUUID()
  anesthesiologistUserId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the chair the patient sits in (default: the appointment’s); its name becomes the label, and its monitors chart here',
  })
  @OptionalNotNull()
  @IsUUID()
  chairId?: string;

  @ApiPropertyOptional({ description: 'a free label for a place Vigil has no chair for (no monitor binds to it); not with chairId' })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  chairLabel?: string;
}

export class PreChecksDto extends TransitionDto {
  @ApiProperty({ enum: TRANSPORT_HOME }) @IsIn(TRANSPORT_HOME) transportHome!: PreChecks['transportHome'];
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(200) escortName?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'esketamine: no food 2 h before (label)' })
  @IsOptional()
  @IsTimestamp()
  lastFoodAt?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'esketamine: no liquids 30 min before (label)' })
  @IsOptional()
  @IsTimestamp()
  lastLiquidsAt?: string | null;

  @ApiPropertyOptional({ enum: PREGNANCY_STATUSES, nullable: true })
  @IsOptional()
  @IsIn(PREGNANCY_STATUSES)
  pregnancyStatus?: PreChecks['pregnancyStatus'];

  @ApiProperty({ enum: CSSRS_SCREENER_RESULTS }) @IsIn(CSSRS_SCREENER_RESULTS) cssrsScreener!: PreChecks['cssrsScreener'];
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) notes?: string | null;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() anesthesiologistUserId?: string;
}

export class OverrideDto {
  @ApiProperty({ example: 'BASELINE_BP_HIGH' }) @IsString() @MinLength(1) @MaxLength(64) code!: string;
  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class StartSessionDto extends TransitionDto {
  @ApiPropertyOptional({ description: 'weight-based protocols; default the protocol’s dose for this session' })
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.01)
  @Max(5)
  doseMgPerKg?: number;

  @ApiPropertyOptional({ description: 'esketamine: 56 or 84' }) @OptionalNotNull() @IsInt() @Min(1) @Max(1000) doseMg?: number;

  @ApiPropertyOptional({ description: 'IV: mg/mL of the bag, for the pump rate in mL/h' })
  @OptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.01)
  @Max(100)
  concentrationMgPerMl?: number;

  @ApiPropertyOptional({
    description:
      'lot of the drug given, for the controlled-substance log; required unless containerId names the container (which a clinic with a DEA registration in Vigil must)',
  })
  @ValidateIf((o: StartSessionDto) => o.containerId === undefined || o.lotNumber !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  lotNumber?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'the controlled-substance container (vial or kit) the dose is drawn from: the ledger records the draw and its lot; required once the clinic has a DEA registration in Vigil (a typed lot alone is then a 400)',
  })
  @OptionalNotNull()
  @IsUUID()
  containerId?: string;

  @ApiPropertyOptional({ type: [OverrideDto], description: 'anesthesiologists: soft stops passed, each with a reason' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OverrideDto)
  overrides?: OverrideDto[];
}

const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

const BagRemaining = (): PropertyDecorator =>
  apply(
    ApiPropertyOptional({
      description: 'IV: the volume measured left in the bag (mL); the delivered dose is then drawn − left (clinical-rules.md section 8)',
      minimum: 0,
      maximum: 2000,
    }),
    OptionalNotNull(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    MaxDecimals(1),
    Min(0),
    Max(2000),
  );

/** The end of an infusion: a reason is needed when it ends early or delivers more than 5 % off the order. */
export class EndDosingDto extends OptionalReasonDto {
  @BagRemaining() bagRemainingMl?: number;
}

/** Dosing stopped for good, always with a reason. */
export class AbortDto extends ReasonDto {
  @BagRemaining() bagRemainingMl?: number;
}

export class RateChangeDto {
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @MaxDecimals(1) @Min(0) @Max(2000) rateMlPerH!: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
  @ApiPropertyOptional({ format: 'date-time' }) @OptionalNotNull() @IsTimestamp() occurredAt?: string;
}

export class EmergencyDto {
  @ApiProperty({ enum: CRISIS_SYMPTOMS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CRISIS_SYMPTOMS.length)
  @IsIn(CRISIS_SYMPTOMS, { each: true })
  symptoms!: CrisisSymptom[];

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}
