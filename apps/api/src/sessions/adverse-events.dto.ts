import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import {
  ADVERSE_EVENT_KINDS,
  ADVERSE_EVENT_OUTCOMES as OUTCOMES,
  ADVERSE_EVENT_SEVERITIES as SEVERITIES,
  type AdverseEventOutcome as Outcome,
  type AdverseEventSeverity as Severity,
} from '#clinic';
import { IdParam, IsTimestamp, OptionalNotNull } from '../http/dto.js';

export class AdverseEventDto {
  @ApiProperty({ enum: ADVERSE_EVENT_KINDS }) @IsIn(ADVERSE_EVENT_KINDS) kind!: string;
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity!: Severity;
  @ApiProperty({ format: 'date-time', description: 'not in the future' }) @IsTimestamp() onsetAt!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) actionTaken!: string;
  @ApiProperty({ enum: OUTCOMES }) @IsIn(OUTCOMES) outcome!: Outcome;
}

/** The course of an adverse event; what it was and when it began stay as recorded. */
export class AdverseEventUpdateDto {
  @ApiPropertyOptional({ enum: SEVERITIES }) @OptionalNotNull() @IsIn(SEVERITIES) severity?: Severity;
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(2000) actionTaken?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) @OptionalNotNull() @IsIn(OUTCOMES) outcome?: Outcome;
  @ApiPropertyOptional({ format: 'date-time', description: 'when it resolved (default now); not in the future, not before the onset' })
  @OptionalNotNull()
  @IsTimestamp()
  resolvedAt?: string;
}

export class AdverseEventParam extends IdParam {
  @ApiProperty({ format: 'uuid' }) @IsUUID() eventId!: string;
}

export class AdverseEventViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) sessionId!: string;
  @ApiProperty({ enum: ADVERSE_EVENT_KINDS }) kind!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ format: 'date-time' }) onsetAt!: string;
  @ApiProperty() actionTaken!: string;
  @ApiProperty({ enum: OUTCOMES }) outcome!: Outcome;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ description: 'goes on the esketamine REMS form' }) remsReportable!: boolean;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AdverseEventPageDto {
  @ApiProperty({ type: [AdverseEventViewDto], description: 'by onset' }) items!: AdverseEventViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
