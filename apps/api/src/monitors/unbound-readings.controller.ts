import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { UNBOUND_REASONS, UNBOUND_STATUSES, UnboundReadingsService, type UnboundStatus } from '#clinic';
import { Roles, type Actor } from '#platform';
import { AuditRead, listOf } from '../http/audit-read.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, OptionalNotNull, PageQuery } from '../http/dto.js';
import { AlertDto, ReadingDto } from '../sessions/sessions.responses.js';

const nullable = (type: 'string' | 'number', format?: string) => ({ type, nullable: true, ...(format && { format }) });

export class UnboundQuery extends PageQuery {
  @ApiPropertyOptional({ enum: UNBOUND_STATUSES, default: 'open' })
  @OptionalNotNull()
  @IsIn(UNBOUND_STATUSES)
  status?: 'open' | 'attached' | 'discarded';
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() chairId?: string;
}

export class AttachDto {
  @ApiProperty({ format: 'uuid', description: 'the session in progress the reading belongs to' }) @IsUUID() sessionId!: string;
}

export class DiscardDto {
  @ApiProperty({ description: 'why the reading is not charted' }) @IsString() @MinLength(3) @MaxLength(2000) reason!: string;
}

export class UnboundValuesDto {
  @ApiPropertyOptional() systolic?: number;
  @ApiPropertyOptional() diastolic?: number;
  @ApiPropertyOptional() heartRate?: number;
  @ApiPropertyOptional() spo2?: number;
  @ApiPropertyOptional() respiratoryRate?: number;
  @ApiPropertyOptional() temperatureC?: number;
}

export class UnboundReadingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: UNBOUND_STATUSES }) status!: UnboundStatus;
  @ApiProperty({
    enum: UNBOUND_REASONS,
    description: 'why no session took it',
  })
  reason!: string;
  @ApiProperty(nullable('string', 'uuid')) monitorId!: string | null;
  @ApiProperty(nullable('string', 'uuid')) chairId!: string | null;
  @ApiProperty({ description: 'the device as its readings name it: its EUI-64, else its bed location' }) deviceId!: string;
  @ApiProperty({ ...nullable('string'), description: 'PV1-3 as sent' }) location!: string | null;
  @ApiProperty({ ...nullable('string'), description: 'PID-3 as the monitor sent it' }) patientMrn!: string | null;
  @ApiProperty({ format: 'date-time' }) measuredAt!: string;
  @ApiProperty({ description: 'the time came without an offset and was read in the gateway’s zone' }) zoneAssumed!: boolean;
  @ApiProperty({ type: UnboundValuesDto }) values!: UnboundValuesDto;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty(nullable('string', 'uuid')) sessionId!: string | null;
  @ApiProperty(nullable('string', 'uuid')) readingId!: string | null;
  @ApiProperty(nullable('string', 'uuid')) resolvedBy!: string | null;
  @ApiProperty(nullable('string', 'date-time')) resolvedAt!: string | null;
  @ApiProperty(nullable('string')) resolveReason!: string | null;
}

export class UnboundPageDto {
  @ApiProperty({ type: [UnboundReadingDto], description: 'newest measurement first' }) items!: UnboundReadingDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AttachedDto {
  @ApiProperty({ type: UnboundReadingDto }) unbound!: UnboundReadingDto;
  @ApiProperty({
    type: ReadingDto,
    description: 'the reading it became in the session (an existing one when the monitor’s feed had already charted it)',
  })
  reading!: ReadingDto;
  @ApiProperty({ type: [AlertDto], description: 'alerts it raised or joined' }) alerts!: AlertDto[];
}

/** Monitor readings no session took: nurses and anesthesiologists list them, attach them to a session or discard them. */
@ApiTags('monitors')
@ApiBearerAuth()
@Roles('nurse', 'anesthesiologist')
@Controller('unbound-readings')
export class UnboundReadingsController {
  constructor(private readonly unbound: UnboundReadingsService) {}

  @Get()
  @AuditRead('monitor.unbound.read', listOf('unbound-reading'))
  @ApiOkResponse({ type: UnboundPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: UnboundQuery): Promise<UnboundPageDto> {
    return this.unbound.list(actor, q);
  }

  @Post(':id/attach')
  @HttpCode(200)
  @ApiOkResponse({
    type: AttachedDto,
    description: 'charted through the vitals rules (400/409 as POST /sessions/{id}/vitals); 409 UNBOUND_READING_RESOLVED',
  })
  attach(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: AttachDto): Promise<AttachedDto> {
    return this.unbound.attach(actor, p.id, b.sessionId);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOkResponse({ type: UnboundReadingDto, description: '409 UNBOUND_READING_RESOLVED when attached or discarded already' })
  discard(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: DiscardDto): Promise<UnboundReadingDto> {
    return this.unbound.discard(actor, p.id, b.reason);
  }
}
