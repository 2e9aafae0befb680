import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AssessmentsService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { IdParam, optionalDate, PageQuery } from '../http/dto.js';
import { Idempotent } from '../http/idempotency.interceptor.js';
import { AssessmentDto, AssessmentInputDto, AssessmentPageDto, AssessmentParams, OutcomesDto, ReviewDto } from './assessments.dto.js';

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
    type: OutcomesDto,
    description:
      'per instrument: baseline (and baselineKind: before-first-dose or after-first-dose), points, latest, changePercent, response, remission (PHQ-9 and GAD-7 only), relapse',
  })
  outcomes(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<OutcomesDto> {
    return this.assessments.outcomes(actor, p.id);
  }
}
