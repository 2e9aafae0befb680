import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AlertStreamService, WallBoardService } from '#clinic';
import { DomainError, Roles, type Actor } from '#platform';
import { AuditRead, listOf } from '../http/audit-read.js';
import { accessTokenExpiry } from '../http/bearer.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { WallBoardFeed } from './wall-board-feed.js';
import { ErrorDto } from '../http/dto.js';
import { STREAM_EVENT_MODELS } from '../alerts/alert-stream.dto.js';
import { BOARD_STREAM_EVENTS, BoardSignalEventDto, WallBoardDto } from './wall-board.dto.js';

const HEARTBEAT_MS = 15_000;

/** The wall board page's data: the floor now, and a stream of what changes on it. Clinical staff only. */
@ApiTags('board')
@ApiBearerAuth()
@Roles('nurse', 'anesthesiologist')
@ApiExtraModels(...STREAM_EVENT_MODELS, BoardSignalEventDto)
@Controller('board')
export class WallBoardController {
  constructor(
    private readonly board: WallBoardService,
    private readonly alerts: AlertStreamService,
    private readonly feed: WallBoardFeed,
  ) {}

  @Get()
  @AuditRead('board.read', listOf('session'))
  @ApiOkResponse({ type: WallBoardDto, description: 'every active session in chair order, without patient names' })
  get(@CurrentActor() actor: Actor): Promise<WallBoardDto> {
    return this.board.board(actor);
  }

  /**
   * Server-Sent Events: the alert stream's events (with ids; `Last-Event-ID` replays what was
   * missed), plus an `board` event (no id, data `{}`) whenever the floor changed otherwise
   * (readings stored, a session moved): read `GET /board` again. An `open` event says the stream
   * is caught up and listening: read `GET /board` then, so nothing falls between the two. Counts
   * as an alert stream (same caps) and ends as one (`end` with its reason).
   */
  @Get('stream')
  @AuditRead('board.stream', listOf('board-stream'), { stream: true })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'replay the alert events after this id' })
  @ApiOkResponse({
    description:
      'Server-Sent Events, each data schema in x-stream-events by event name: the alert stream’s events (with ids), `board` events (the floor changed), one `open` event once caught up, a last `end` event with its reason',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'TOO_MANY_STREAMS: it counts as an alert stream' })
  @ApiExtension('x-stream-events', BOARD_STREAM_EVENTS)
  async stream(
    @CurrentActor() actor: Actor,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (lastEventId !== undefined && !/^\d{1,18}$/.test(lastEventId))
      throw DomainError.validation([{ field: 'Last-Event-ID', message: 'must be an event id this stream sent' }]);
    const slot = this.alerts.reserve({ userId: actor.userId, clinicId: actor.clinicId, tokenExpiresAt: accessTokenExpiry(request) });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Request-Id': String(request.id),
    });
    const write = (chunk: string) => {
      if (!raw.destroyed && !raw.writableEnded) raw.write(chunk);
    };
    write(': connected\n\n');
    let unsubscribe = () => {};
    const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
    const hangUp = () => {
      clearInterval(heartbeat);
      unsubscribe();
      slot.release();
    };
    raw.on('close', hangUp);
    if (raw.destroyed || request.raw.socket.destroyed) hangUp();
    const end = (reason: string) => {
      hangUp();
      if (!raw.writableEnded) raw.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
    };
    try {
      unsubscribe = await this.feed.subscribe(actor.clinicId, () => write('event: board\ndata: {}\n\n'));
    } catch {
      return end('unavailable');
    }
    if (slot.released) return unsubscribe();
    await this.alerts.attach(slot, lastEventId ?? null, {
      send: (events) => {
        for (const e of events) write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
      },
      end,
    });
    if (!slot.released) write('event: open\ndata: {}\n\n');
  }
}
