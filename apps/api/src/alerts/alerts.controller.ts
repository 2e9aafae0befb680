import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AlertsService, AlertStreamService, type AlertStatus } from '#clinic';
import { DomainError, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, PageQuery } from '../http/dto.js';
import { AlertDto } from '../sessions/sessions.responses.js';
import { AuditRead, listOf } from '../http/audit-read.js';

const STATUSES: AlertStatus[] = ['open', 'acknowledged', 'resolved'];

export class AlertQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: AlertStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() sessionId?: string;
}

export class ResolveAlertDto {
  @ApiProperty({ description: 'what was done' }) @IsString() @MinLength(1) @MaxLength(2000) note!: string;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] }) items!: AlertDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const HEARTBEAT_MS = 15_000;

@ApiTags('alerts')
@ApiBearerAuth()
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
   */
  @Get('stream')
  @AuditRead('alert.stream', listOf('alert-stream'), { stream: true })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'replay the events after this id' })
  @ApiOkResponse({ description: 'text/event-stream; each event: id, event (raised|acknowledged|escalated|resolved), data (the alert)' })
  async streamEvents(
    @CurrentActor() actor: Actor,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (lastEventId !== undefined && !/^\d{1,18}$/.test(lastEventId))
      throw DomainError.validation([{ field: 'Last-Event-ID', message: 'must be an event id this stream sent' }]);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Request-Id': String(request.id),
    });
    raw.write(': connected\n\n');
    // Listen for the hang-up before subscribing: a client gone during the subscription must not leave it (and its heartbeat) behind.
    let closed = false;
    let release = () => void (closed = true);
    request.raw.on('close', () => release());
    const unsubscribe = await this.stream.subscribe(actor.clinicId, lastEventId ?? null, (events) => {
      for (const e of events) raw.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
    });
    if (closed) {
      unsubscribe();
      return;
    }
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    release = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
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
