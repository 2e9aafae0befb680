import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ASSESSMENT_BANDS, ASSESSMENT_FLAGS, ASSESSMENT_ITEM_MAX, BASELINE_KINDS, INSTRUMENTS, type Instrument } from '#clinic';
import { IsTimestamp, OptionalNotNull } from '../http/dto.js';

export class AssessmentInputDto {
  @ApiProperty({ enum: INSTRUMENTS }) @IsIn(INSTRUMENTS) instrument!: Instrument;
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'integer' }, { type: 'boolean' }] },
    description: 'PHQ9: 9 × 0–3; GAD7: 7 × 0–3; CADSS6: 6 × 0–4; CSSRS: 6 × true/false',
  })
  @IsArray()
  @ArrayMaxSize(30)
  items!: unknown[];
  @ApiPropertyOptional({ description: 'C-SSRS: suicidal behaviour (item 6) within the past 3 months' })
  @OptionalNotNull()
  @IsBoolean()
  behaviourPastThreeMonths?: boolean;
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() administeredAt!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() sessionId?: string;
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) sessionId!: string | null;
  @ApiProperty({ enum: INSTRUMENTS }) instrument!: Instrument;
  @ApiProperty({ type: 'array', items: { oneOf: [{ type: 'integer', minimum: 0, maximum: ASSESSMENT_ITEM_MAX }, { type: 'boolean' }] } })
  items!: (number | boolean)[];
  @ApiProperty({ description: 'computed by Vigil' }) total!: number;
  @ApiProperty({ enum: ASSESSMENT_BANDS, nullable: true, description: 'severity band (PHQ-9, GAD-7) or C-SSRS risk' })
  band!: string | null;
  @ApiProperty({ enum: ASSESSMENT_FLAGS, isArray: true, description: 'suicide-risk (PHQ-9 item 9 > 0), suicide-risk-high (C-SSRS)' })
  flags!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'LOINC of the total' }) loinc!: string | null;
  @ApiProperty({ format: 'date-time' }) administeredAt!: string;
  @ApiProperty({ format: 'uuid' }) recordedBy!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) reviewedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) reviewedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewNote!: string | null;
}

export class AssessmentPageDto {
  @ApiProperty({ type: [AssessmentDto], description: 'oldest first' }) items!: AssessmentDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ReviewDto {
  @ApiProperty() @IsString() @MinLength(3) @MaxLength(2000) note!: string;
}

export class AssessmentParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() assessmentId!: string;
}

class OutcomePointDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() total!: number;
}

export class OutcomeSummaryDto {
  @ApiProperty({ type: OutcomePointDto, nullable: true }) baseline!: OutcomePointDto | null;
  @ApiProperty({ enum: BASELINE_KINDS, nullable: true, description: 'the last score before the first dose, or the first soon after it' })
  baselineKind!: (typeof BASELINE_KINDS)[number] | null;
  @ApiProperty({ type: OutcomePointDto, nullable: true }) latest!: OutcomePointDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'latest against the baseline, in %' }) changePercent!: number | null;
  @ApiProperty({ description: 'a drop of at least 50% from the baseline' }) response!: boolean;
  @ApiProperty({ description: 'PHQ-9 or GAD-7 below 5 (CADSS-6: always false)' }) remission!: boolean;
  @ApiProperty({ description: 'after a response, back above 50% of the baseline' }) relapse!: boolean;
  @ApiProperty({ type: [OutcomePointDto], description: 'oldest first' }) points!: OutcomePointDto[];
}

export class OutcomesDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the first dose was given' })
  firstSessionAt!: string | null;
  @ApiProperty({ type: OutcomeSummaryDto }) PHQ9!: OutcomeSummaryDto;
  @ApiProperty({ type: OutcomeSummaryDto }) GAD7!: OutcomeSummaryDto;
  @ApiProperty({ type: OutcomeSummaryDto }) CADSS6!: OutcomeSummaryDto;
  @ApiProperty({ type: AssessmentDto, nullable: true, description: 'the latest C-SSRS screener' }) CSSRS!: AssessmentDto | null;
}
