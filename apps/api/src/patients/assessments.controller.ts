import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { AssessmentsService, INSTRUMENTS, type Instrument } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { IdParam, IsTimestamp, optionalDate, OptionalNotNull, PageQuery } from '../http/dto.js';
import { Idempotent } from '../http/idempotency.interceptor.js';

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
  @ApiProperty({ type: 'array', items: {} }) items!: (number | boolean)[];
  @ApiProperty({ description: 'computed by Vigil' }) total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'severity band (PHQ-9, GAD-7) or C-SSRS risk' }) band!: string | null;
  @ApiProperty({ type: [String], description: 'suicide-risk (PHQ-9 item 9 > 0), suicide-risk-high (C-SSRS)' }) flags!: string[];
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

@ApiTags('assessments')
@ApiBearerAuth()
@Roles('nurse', 'anesthesiologist')
@Controller('patients/:id')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Post('assessments')
  @Idempotent()
  @FieldChecks(AssessmentsService, (s, r: CheckedBody<AssessmentInputDto>) =>
    s.problems({ ...r.body, administeredAt: optionalDate(r.body.administeredAt) }),
  )
  @ApiCreatedResponse({ type: AssessmentDto, description: 'items validated (400 naming the item); total, band and flags computed here' })
  record(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: AssessmentInputDto): Promise<AssessmentDto> {
    return this.assessments.record(actor, p.id, { ...b, administeredAt: new Date(b.administeredAt) });
  }

  @Get('assessments')
  @ApiOkResponse({ type: AssessmentPageDto, description: 'oldest first; the read is audited' })
  list(@CurrentActor() actor: Actor, @Param() p: IdParam, @Query() query: PageQuery): Promise<AssessmentPageDto> {
    return this.assessments.list(actor, p.id, query);
  }

  @Post('assessments/:assessmentId/review')
  @HttpCode(200)
  @Roles('anesthesiologist')
  @ApiOkResponse({ type: AssessmentDto, description: 'an anesthesiologist reviews a high-risk C-SSRS screener' })
  review(@CurrentActor() actor: Actor, @Param() p: AssessmentParams, @Body() b: ReviewDto): Promise<AssessmentDto> {
    return this.assessments.review(actor, p.id, p.assessmentId, b.note);
  }

  @Get('outcomes')
  @ApiOkResponse({
    description:
      'per instrument: baseline (and baselineKind: before-first-dose or after-first-dose), points, latest, changePercent, response, remission (PHQ-9 and GAD-7 only), relapse',
  })
  outcomes(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<Record<string, unknown>> {
    return this.assessments.outcomes(actor, p.id);
  }
}
