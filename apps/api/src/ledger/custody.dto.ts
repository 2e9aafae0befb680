import {
  CS_QUANTITY_UNITS,
  CS_UNITS,
  type CsQuantityUnit,
  type CsUnit,
  DISCREPANCY_KINDS,
  DISCREPANCY_STATUSES,
  type DiscrepancyKind,
  type DiscrepancyStatus,
} from '#clinic';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsTimestamp, MaxDecimals, OptionalNotNull, PageQuery } from '../http/dto.js';
import { LedgerEventDto } from './stock.dto.js';

/** The witness signs in the same request: their id and their own password (never stored, never logged). */
class WitnessedDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() containerId!: string;
  @ApiProperty({ enum: CS_UNITS, description: 'the container’s unit, as a check against mg typed as mL' })
  @IsIn(CS_UNITS)
  unit!: CsUnit;
  @ApiProperty({ format: 'uuid', description: 'a nurse or anesthesiologist present, other than you' }) @IsUUID() witnessUserId!: string;
  @ApiProperty({ description: 'the witness’s own password, re-entered' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  witnessPassword!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'when it happened: up to 60 min ago; default now' })
  @OptionalNotNull()
  @IsTimestamp()
  occurredAt?: string;
}

export class WasteDto extends WitnessedDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the session whose dose was drawn but not all given; absent for a spill or breakage',
  })
  @OptionalNotNull()
  @IsUUID()
  sessionId?: string;
  @ApiProperty({ description: 'in the container’s unit' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0.001)
  @Max(10_000)
  quantity!: number;
  @ApiProperty({ description: 'what happened: rest of the dose, syringe dropped…' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class CountDto extends WitnessedDto {
  @ApiProperty({ description: 'what you counted or measured, in the container’s unit (an opened vial may be an estimated measure)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimals(3)
  @Min(0)
  @Max(10_000)
  counted!: number;
}

export class CountResultDto {
  @ApiProperty({ type: LedgerEventDto }) event!: LedgerEventDto;
  @ApiProperty({ description: 'what the ledger expected, shown once the count is recorded' }) expected!: number;
  @ApiProperty({ description: 'counted − expected' }) variance!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'opened when the count differs' }) discrepancyId!:
    string | null;
}

export class DiscrepancyQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DISCREPANCY_STATUSES }) @IsOptional() @IsIn(DISCREPANCY_STATUSES) status?: DiscrepancyStatus;
}

export class ResolveDiscrepancyDto {
  @ApiProperty({ description: 'why the difference arose' }) @IsString() @MinLength(10) @MaxLength(2000) resolution!: string;
  @ApiPropertyOptional({ description: 'a count: correct the balance to what was found (a correction event pointing at the count)' })
  @OptionalNotNull()
  @IsBoolean()
  correctBalance?: boolean;
}

export class ContainerReasonDto {
  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class DiscrepancyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ enum: DISCREPANCY_KINDS }) kind!: DiscrepancyKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) containerId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) receiptId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the count that found it' }) eventId!: string | null;
  @ApiProperty() expected!: number;
  @ApiProperty() found!: number;
  @ApiProperty({ description: 'found − expected' }) variance!: number;
  @ApiProperty({ enum: CS_QUANTITY_UNITS }) unit!: CsQuantityUnit;
  @ApiProperty({ enum: DISCREPANCY_STATUSES }) status!: DiscrepancyStatus;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'uuid' }) openedBy!: string;
  @ApiProperty({ format: 'date-time', description: 'to be resolved by' }) dueAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) resolvedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolution!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) correctionEventId!: string | null;
}

export class DiscrepancyPageDto {
  @ApiProperty({ type: [DiscrepancyDto], description: 'newest first' }) items!: DiscrepancyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
