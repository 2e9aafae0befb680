import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { ACK_CODES, FeedLogService, MESSAGE_OUTCOMES, type AckCode, type MessageOutcome } from '#clinic';
import { Roles, type Actor } from '#platform';
import { AuditRead, listOf } from '../http/audit-read.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { OptionalNotNull, PageQuery } from '../http/dto.js';

export class FeedLogQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MESSAGE_OUTCOMES }) @OptionalNotNull() @IsIn(MESSAGE_OUTCOMES) outcome?: MessageOutcome;
  @ApiPropertyOptional({ description: 'MSH-10 as the gateway sent it' })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  controlId?: string;
}

export class FeedMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) gatewayId!: string | null;
  @ApiProperty({ description: 'the TCP peer, address:port' }) peer!: string;
  @ApiProperty({ type: String, nullable: true, description: 'MSH-10' }) controlId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'MSH-7' }) messageTime!: string | null;
  @ApiProperty({ description: 'the frame as received (segments end with CR)' }) raw!: string;
  @ApiProperty({ type: String, nullable: true, enum: ACK_CODES }) ackCode!: AckCode | null;
  @ApiProperty({ type: String, nullable: true, description: 'the ACK sent, as sent' }) ack!: string | null;
  @ApiProperty({ enum: MESSAGE_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'a resend: the message whose answer it got again' })
  duplicateOf!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'problems (ERR), readings per session, readings kept unbound, rows kept raw',
  })
  detail!: Record<string, unknown>;
}

export class FeedMessagePageDto {
  @ApiProperty({ type: [FeedMessageDto], description: 'newest first' }) items!: FeedMessageDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** The monitor feed's raw message log, for administrators diagnosing a gateway. */
@ApiTags('monitors')
@ApiBearerAuth()
@Roles('admin')
@Controller('hl7-messages')
export class FeedLogController {
  constructor(private readonly log: FeedLogService) {}

  @Get()
  @AuditRead('monitor.feed.log.read', listOf('hl7-message'))
  @ApiOkResponse({ type: FeedMessagePageDto })
  list(@CurrentActor() actor: Actor, @Query() q: FeedLogQuery): Promise<FeedMessagePageDto> {
    return this.log.list(actor, q);
  }
}
