import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_STATUSES as STATUSES,
  FOLLOW_UP_SUBJECTS,
  FollowUpsService,
  type FollowUpKind,
  type FollowUpStatus,
  type FollowUpSubject,
} from '#clinic';
import { AnyRole, ROLES, type Actor, type Role } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, IsTimestamp, PageQuery } from '../http/dto.js';

export class FollowUpQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: FollowUpStatus;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsTimestamp() dueBefore?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'one patient’s tasks' }) @IsOptional() @IsUUID() patientId?: string;
}

export class CompleteFollowUpDto {
  @ApiProperty({ description: 'what was done' }) @IsString() @MinLength(1) @MaxLength(2000) note!: string;
}

export class RescheduleFollowUpDto {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() dueAt!: string;
}

export class CancelFollowUpDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

export class FollowUpDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ enum: FOLLOW_UP_KINDS }) kind!: FollowUpKind;
  @ApiProperty({ enum: FOLLOW_UP_SUBJECTS, nullable: true, description: 'what subjectId names' }) subjectType!: FollowUpSubject | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) subjectId!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: STATUSES }) status!: FollowUpStatus;
  @ApiProperty({ enum: ROLES }) assigneeRole!: Role;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) escalateAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) escalatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) resultNote!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) completedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class FollowUpPageDto {
  @ApiProperty({ type: [FollowUpDto] }) items!: FollowUpDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** Administrators see and complete the tasks assigned to them (scheduling); clinicians see all. */
@ApiTags('follow-ups')
@ApiBearerAuth()
@AnyRole()
@Controller('follow-ups')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  @ApiOkResponse({ type: FollowUpPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: FollowUpQuery): Promise<FollowUpPageDto> {
    return this.followUps.list(actor, { ...query, dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined });
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: FollowUpDto })
  complete(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CompleteFollowUpDto): Promise<FollowUpDto> {
    return this.followUps.complete(actor, params.id, body.note);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOkResponse({ type: FollowUpDto, description: 'moves a task not yet done; it never fires at its old time' })
  reschedule(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: RescheduleFollowUpDto): Promise<FollowUpDto> {
    return this.followUps.reschedule(actor, params.id, new Date(body.dueAt));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: FollowUpDto })
  cancel(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CancelFollowUpDto): Promise<FollowUpDto> {
    return this.followUps.cancel(actor, params.id, body.reason);
  }
}
