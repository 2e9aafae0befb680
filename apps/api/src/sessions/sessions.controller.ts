import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  DoseChangesService,
  SessionBoardService,
  SessionStartService,
  sessionView,
  SessionsService,
  SessionViewsService,
  VitalsIngestService,
  VitalsService,
  DETAIL_READINGS,
  READINGS_PAGE,
  type NewReading,
} from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import { IdParam } from '../http/dto.js';
import { Idempotent } from '../http/idempotency.interceptor.js';
import {
  AbortDto,
  CheckInDto,
  CreateSessionDto,
  EmergencyDto,
  EndDosingDto,
  ListSessionsQuery,
  OptionalReasonDto,
  PreChecksDto,
  RateChangeDto,
  ReadingsPageQuery,
  ReasonDto,
  StartSessionDto,
  TransitionDto,
} from './sessions.dto.js';
import { VitalReadingDto, VitalsBatchDto } from './vitals.dto.js';
import {
  AlertDto,
  BoardEntryDto,
  ReadingPageDto,
  SessionDetailDto,
  SessionDto,
  SessionPageDto,
  VitalsBatchResultDto,
  VitalsResultDto,
} from './sessions.responses.js';
import { AuditRead, byParam, byPatientFilter, listOf } from '../http/audit-read.js';

const date = (iso: string | null | undefined) => (iso === undefined ? undefined : iso === null ? null : new Date(iso));
const at = (b: { occurredAt?: string }) => ({ occurredAt: b.occurredAt ? new Date(b.occurredAt) : undefined });
const reading = (r: VitalReadingDto): NewReading => ({ ...r, measuredAt: new Date(r.measuredAt) });

/** Sessions are clinical: nurses and anesthesiologists (api.md). Each verb is one transition. */
@ApiTags('sessions')
@ApiBearerAuth()
@Roles('nurse', 'anesthesiologist')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly starts: SessionStartService,
    private readonly doseChanges: DoseChangesService,
    private readonly views: SessionViewsService,
    private readonly boards: SessionBoardService,
    private readonly ingest: VitalsIngestService,
    private readonly vitals: VitalsService,
  ) {}

  @Post()
  @FieldChecks(SessionsService, (s, r: CheckedBody<CreateSessionDto>) => s.creationProblems(r.actor, r.body))
  @ApiCreatedResponse({ type: SessionDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateSessionDto): Promise<SessionDto> {
    return sessionView(await this.sessions.create(actor, body));
  }

  @Get()
  @AuditRead('session.list.read', byPatientFilter('session'))
  @ApiOkResponse({ type: SessionPageDto, description: 'newest first' })
  list(@CurrentActor() actor: Actor, @Query() query: ListSessionsQuery): Promise<SessionPageDto> {
    return this.views.list(actor, query);
  }

  @Get('board')
  @AuditRead('session.board.read', listOf('session'))
  @ApiOkResponse({
    type: [BoardEntryDto],
    description: 'every active session with latest vitals, open alerts and observation time (a snapshot, bounded by the chairs: not paged)',
  })
  board(@CurrentActor() actor: Actor): Promise<BoardEntryDto[]> {
    return this.boards.board(actor);
  }

  @Get(':id')
  @ApiOkResponse({
    type: SessionDetailDto,
    description: `the session with its timeline; the timeline carries the latest ${DETAIL_READINGS} readings (readingsTruncated says when there are more: GET /sessions/{id}/vitals pages through all)`,
  })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<SessionDetailDto> {
    return this.views.get(actor, p.id);
  }

  @Post(':id/check-in')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async checkIn(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: CheckInDto): Promise<SessionDto> {
    return sessionView(await this.sessions.checkIn(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/pre-checks')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async preChecks(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: PreChecksDto): Promise<SessionDto> {
    return sessionView(
      await this.sessions.preChecks(actor, p.id, { ...b, ...at(b), lastFoodAt: date(b.lastFoodAt), lastLiquidsAt: date(b.lastLiquidsAt) }),
    );
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto, description: '422 lists every unmet rule of the pre-session gate and the dose rules' })
  async start(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: StartSessionDto): Promise<SessionDto> {
    return sessionView(await this.starts.start(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async pause(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ReasonDto): Promise<SessionDto> {
    return sessionView(await this.sessions.pause(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async resume(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: OptionalReasonDto): Promise<SessionDto> {
    return sessionView(await this.sessions.resume(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/rate')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto, description: 'a pump rate change during dosing, with its reason' })
  async rate(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: RateChangeDto): Promise<SessionDto> {
    return sessionView(await this.doseChanges.changeRate(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/end-dosing')
  @HttpCode(200)
  @ApiOkResponse({
    type: SessionDto,
    description: 'into observation with the delivered dose reconciled; ending early or more than 5 % off the order needs a reason',
  })
  async endDosing(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: EndDosingDto): Promise<SessionDto> {
    return sessionView(await this.sessions.endDosing(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/abort')
  @HttpCode(200)
  @ApiOkResponse({
    type: SessionDto,
    description: 'dosing stopped for good, the delivered dose reconciled; the patient is still observed before discharge',
  })
  async abort(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: AbortDto): Promise<SessionDto> {
    return sessionView(await this.sessions.abort(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async cancel(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ReasonDto): Promise<SessionDto> {
    return sessionView(await this.sessions.cancel(actor, p.id, { ...b, ...at(b) }));
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async noShow(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: TransitionDto): Promise<SessionDto> {
    return sessionView(await this.sessions.noShow(actor, p.id, at(b)));
  }

  @Post(':id/vitals')
  @Idempotent()
  @ApiCreatedResponse({ type: VitalsResultDto, description: 'Idempotency-Key honoured; a device reading resent is stored once' })
  async recordVitals(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: VitalReadingDto): Promise<VitalsResultDto> {
    const { readings, alerts } = await this.ingest.record(actor, p.id, [reading(b)], false);
    return { reading: readings[0], alerts };
  }

  @Post(':id/vitals/batch')
  @Idempotent()
  @ApiCreatedResponse({ type: VitalsBatchResultDto, description: 'up to 500 readings, all or none' })
  recordBatch(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: VitalsBatchDto): Promise<VitalsBatchResultDto> {
    return this.ingest.record(actor, p.id, b.readings.map(reading), true);
  }

  @Get(':id/vitals')
  @AuditRead('session.vitals.read', byParam('session'))
  @ApiOkResponse({
    type: ReadingPageDto,
    description: `oldest first, ${READINGS_PAGE.defaultLimit} a page unless limit says (at most ${READINGS_PAGE.maxLimit})`,
  })
  listVitals(@CurrentActor() actor: Actor, @Param() p: IdParam, @Query() query: ReadingsPageQuery): Promise<ReadingPageDto> {
    return this.vitals.list(actor, p.id, query);
  }

  @Post(':id/emergency')
  @ApiCreatedResponse({ type: AlertDto, description: 'crisis symptoms: a critical alert at once' })
  emergency(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: EmergencyDto): Promise<AlertDto> {
    return this.vitals.emergency(actor, p.id, b.symptoms, b.note ?? null);
  }
}
