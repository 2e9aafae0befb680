import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { decodeCursor, Notification, Roles, toPage, type Actor, type NotificationStatus } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { PageQuery } from '../http/dto.js';

const STATUSES: NotificationStatus[] = ['pending', 'sending', 'sent', 'failed'];

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: NotificationStatus;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() recipientAddress!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: STATUSES }) status!: NotificationStatus;
  @ApiProperty({ description: 'more than 1: it was sent again (see lastError)' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) sentAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** The clinic's outbox: what Vigil sent or still has to send (administrators). */
@ApiTags('notifications')
@ApiBearerAuth()
@Roles('admin')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: NotificationPageDto, description: 'newest first' })
  async list(@CurrentActor() actor: Actor, @Query() q: NotificationQuery): Promise<NotificationPageDto> {
    const after = decodeCursor(q.cursor);
    const qb = this.dataSource.createQueryBuilder(Notification, 'n').where('n.clinic_id = :c', { c: actor.clinicId });
    if (q.status) qb.andWhere('n.status = :s', { s: q.status });
    if (after) qb.andWhere('(n.created_at, n.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await qb
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(q.limit + 1)
      .getMany();
    return toPage(
      rows,
      q.limit,
      (n) => ({ at: n.createdAt, id: n.id }),
      (n) => ({
        id: n.id,
        recipientAddress: n.recipientAddress,
        subject: n.subject,
        body: n.body,
        status: n.status,
        attempts: n.attempts,
        lastError: n.lastError,
        sentAt: n.sentAt?.toISOString() ?? null,
        createdAt: n.createdAt.toISOString(),
      }),
    );
  }
}
