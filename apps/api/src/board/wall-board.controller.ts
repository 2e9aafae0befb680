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
import { Roles, type Actor } from '#platform';
import { AuditRead, listOf } from '../http/audit-read.js';
import { accessTokenExpiry } from '../http/bearer.js';
import { openEventStream, resumeAfter } from '../http/event-stream.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { WallBoardFeed } from './wall-board-feed.js';
import { ErrorDto } from '../http/dto.js';
import { STREAM_EVENT_MODELS } from '../alerts/alert-stream.dto.js';
import { BOARD_STREAM_EVENTS, BoardSignalEventDto, WallBoardDto } from './wall-board.dto.js';

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
    const after = resumeAfter(lastEventId);
    const slot = this.alerts.reserve({ userId: actor.userId, clinicId: actor.clinicId, tokenExpiresAt: accessTokenExpiry(request) });
    const events = openEventStream(request, reply);
    let unsubscribe = () => {};
    events.onClose(() => {
      unsubscribe();
      slot.release();
    });
    try {
      unsubscribe = await this.feed.subscribe(actor.clinicId, () => events.write('event: board\ndata: {}\n\n'));
    } catch {
      return events.end('unavailable');
    }
    if (slot.released) return unsubscribe();
    await this.alerts.attach(slot, after, events);
    if (!slot.released) events.write('event: open\ndata: {}\n\n');
  }
}
