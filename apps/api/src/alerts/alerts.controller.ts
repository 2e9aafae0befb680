import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ALERT_STATUSES, AlertsService, AlertStreamService, type AlertStatus } from '#clinic';
import { Roles, type Actor } from '#platform';
import { accessTokenExpiry } from '../http/bearer.js';
import { openEventStream, resumeAfter } from '../http/event-stream.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { ErrorDto, IdParam, PageQuery } from '../http/dto.js';
import { STREAM_EVENT_MODELS, STREAM_EVENTS } from './alert-stream.dto.js';
import { AlertDto } from '../sessions/sessions.responses.js';
import { AuditRead, listOf } from '../http/audit-read.js';

export class AlertQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES }) @IsOptional() @IsIn(ALERT_STATUSES) status?: AlertStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() sessionId?: string;
}

export class ResolveAlertDto {
  @ApiProperty({ description: 'what was done' }) @IsString() @MinLength(1) @MaxLength(2000) note!: string;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] }) items!: AlertDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

@ApiTags('alerts')
@ApiBearerAuth()
@ApiExtraModels(...STREAM_EVENT_MODELS)
@Roles('nurse', 'anesthesiologist')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly stream: AlertStreamService,
  ) {}

  @Get()
  @AuditRead('alert.list.read', listOf('alert'))
  @ApiOkResponse({ type: AlertPageDto, description: 'newest first' })
  list(@CurrentActor() actor: Actor, @Query() query: AlertQuery): Promise<AlertPageDto> {
    return this.alerts.list(actor, query);
  }

  /**
   * Server-Sent Events: one event per alert raised, acknowledged, escalated or resolved in your
   * clinic, from any API process. Reconnect with `Last-Event-ID` to be replayed what you missed.
   * At most ALERT_STREAMS_PER_USER streams per user (429 TOO_MANY_STREAMS beyond). The stream
   * ends with an `end` event (data `{"reason"}`) when your access token expires (`token_expired`:
   * refresh it and reconnect), your account is deactivated or given another role or password
   * (`account_changed`), or the server stops (`shutdown`).
   */
  @Get('stream')
  @AuditRead('alert.stream', listOf('alert-stream'), { stream: true })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'replay the events after this id' })
  @ApiOkResponse({
    description:
      'Server-Sent Events: each has an id, an event name and JSON data whose schema x-stream-events gives by event name (raised, acknowledged, repeated, escalated, resolved: the alert; observation-complete; a last `end` says why the stream ended)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'TOO_MANY_STREAMS: the caps per user or per process' })
  @ApiExtension('x-stream-events', STREAM_EVENTS)
  async streamEvents(
    @CurrentActor() actor: Actor,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = resumeAfter(lastEventId);
    // Refused beyond the caps before anything is written: 429 in the error shape.
    const slot = this.stream.reserve({ userId: actor.userId, clinicId: actor.clinicId, tokenExpiresAt: accessTokenExpiry(request) });
    const events = openEventStream(request, reply);
    events.onClose(() => slot.release());
    await this.stream.attach(slot, after, events);
    // Headers only once subscribed: a client that has its 200 misses nothing raised after it.
    if (!slot.released) events.open();
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertDto, description: 'nurses acknowledge warnings; a critical alert needs an anesthesiologist (403)' })
  acknowledge(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<AlertDto> {
    return this.alerts.acknowledge(actor, p.id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertDto, description: 'with a note of what was done; critical alerts by anesthesiologists only' })
  resolve(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: ResolveAlertDto): Promise<AlertDto> {
    return this.alerts.resolve(actor, p.id, b.note);
  }
}
