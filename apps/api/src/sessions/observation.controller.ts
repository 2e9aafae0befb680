import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdverseEventsService, adverseEventView, DischargeService, ObservationService, RemsService, sessionView } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, optionalDate, PageQuery } from '../http/dto.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import {
  AdverseEventDto,
  AdverseEventPageDto,
  AdverseEventParam,
  AdverseEventUpdateDto,
  AdverseEventViewDto,
} from './adverse-events.dto.js';
import {
  AttestVitalsDto,
  DischargeDto,
  ObservationCheckDto,
  ObservationCheckResultDto,
  RemsFormDto,
  VitalsAttestationDto,
} from './observation.dto.js';
import { SessionDto } from './sessions.responses.js';

/** After dosing: observation checks, adverse events, attestation, discharge and the REMS form (nurses and anesthesiologists). */
@ApiTags('sessions')
@ApiBearerAuth()
@Roles('nurse', 'anesthesiologist')
@Controller('sessions')
export class ObservationController {
  constructor(
    private readonly observation: ObservationService,
    private readonly adverseEvents: AdverseEventsService,
    private readonly discharges: DischargeService,
    private readonly rems: RemsService,
  ) {}

  @Post(':id/observation-checks')
  @FieldChecks(ObservationService, (s, r: CheckedBody<ObservationCheckDto>) => s.problems({ checkedAt: optionalDate(r.body.checkedAt) }))
  @ApiCreatedResponse({ type: ObservationCheckResultDto })
  async check(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ObservationCheckDto): Promise<ObservationCheckResultDto> {
    const c = await this.observation.check(actor, p.id, { ...b, checkedAt: b.checkedAt ? new Date(b.checkedAt) : undefined });
    return { id: c.id, checkedAt: c.checkedAt.toISOString(), dissociation: c.dissociation };
  }

  @Post(':id/adverse-events')
  @FieldChecks(AdverseEventsService, (s, r: CheckedBody<AdverseEventDto>) => s.problems({ onsetAt: optionalDate(r.body.onsetAt) }))
  @ApiCreatedResponse({ type: AdverseEventViewDto, description: 'the onset may not be in the future' })
  async adverseEvent(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: AdverseEventDto): Promise<AdverseEventViewDto> {
    return adverseEventView(await this.adverseEvents.record(actor, p.id, { ...b, onsetAt: new Date(b.onsetAt) }));
  }

  @Patch(':id/adverse-events/:eventId')
  @FieldChecks(AdverseEventsService, (s, r: CheckedBody<AdverseEventUpdateDto>) =>
    s.problems({ resolvedAt: optionalDate(r.body.resolvedAt) }),
  )
  @ApiOkResponse({
    type: AdverseEventViewDto,
    description: 'its course: outcome (resolving stamps resolvedAt, default now), action taken, severity',
  })
  async updateAdverseEvent(
    @CurrentActor() actor: Actor,
    @Param() p: AdverseEventParam,
    @Body() b: AdverseEventUpdateDto,
  ): Promise<AdverseEventViewDto> {
    const e = await this.adverseEvents.update(actor, p.id, p.eventId, {
      ...b,
      resolvedAt: b.resolvedAt ? new Date(b.resolvedAt) : undefined,
    });
    return adverseEventView(e);
  }

  @Get(':id/adverse-events')
  @ApiOkResponse({
    type: AdverseEventPageDto,
    description: 'by onset, 50 a page unless limit says (at most 200); each event once, in its latest state',
  })
  listAdverseEvents(@CurrentActor() actor: Actor, @Param() p: IdParam, @Query() q: PageQuery): Promise<AdverseEventPageDto> {
    return this.adverseEvents.list(actor, p.id, q);
  }

  @Post(':id/attest-vitals')
  @Roles('anesthesiologist')
  @ApiCreatedResponse({
    type: VitalsAttestationDto,
    description: 'the latest vitals are acceptable for discharge despite a threshold breach',
  })
  async attest(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: AttestVitalsDto): Promise<VitalsAttestationDto> {
    const a = await this.discharges.attestVitals(actor, p.id, b.reason);
    return { id: a.id, readingId: a.readingId };
  }

  @Post(':id/discharge')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto, description: '422 lists every unmet discharge criterion by code' })
  async discharge(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: DischargeDto): Promise<SessionDto> {
    return sessionView(
      await this.discharges.discharge(actor, p.id, { ...b, occurredAt: b.occurredAt ? new Date(b.occurredAt) : undefined }),
    );
  }

  @Get(':id/rems-form')
  @ApiOkResponse({
    type: RemsFormDto,
    description:
      'esketamine: the REMS Patient Monitoring Form fields (status draft before discharge, complete after); 409 NOT_ESKETAMINE otherwise',
  })
  remsForm(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<RemsFormDto> {
    return this.rems.formFor(actor, p.id);
  }
}
