import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { AnyRole, keysetPage, Notification, NOTIFICATION_STATUSES as STATUSES, type Actor, type NotificationStatus } from '#platform';
import { AuditRead, listOf } from '../http/audit-read.js';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { PageQuery } from '../http/dto.js';

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: NotificationStatus;
}

const WITHHELD = "null when the message is another user's: an administrator sees its delivery state, not its clinical text";

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) recipientUserId!: string | null;
  @ApiProperty() recipientAddress!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) body!: string | null;
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

/**
 * The clinic's outbox: what Vigil sent or still has to send. Each user reads the mail addressed to
 * them (mail to a role is one message per user of that role, so each reads their copy); an
 * administrator also sees the delivery state of everyone else's, without its subject and body,
 * which may carry clinical content (PHQ-9 answers, blood pressures, MRNs).
 */
@ApiTags('notifications')
@ApiBearerAuth()
@AnyRole()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @AuditRead('notification.list.read', listOf('notification'))
  @ApiOkResponse({ type: NotificationPageDto, description: 'newest first' })
  list(@CurrentActor() actor: Actor, @Query() q: NotificationQuery): Promise<NotificationPageDto> {
    const qb = this.dataSource.createQueryBuilder(Notification, 'n').where('n.clinic_id = :c', { c: actor.clinicId });
    if (actor.role !== 'admin') qb.andWhere('n.recipient_user_id = :me', { me: actor.userId });
    if (q.status) qb.andWhere('n.status = :s', { s: q.status });
    return keysetPage(qb, {
      sortColumn: 'n.created_at',
      idColumn: 'n.id',
      order: 'DESC',
      cursor: q.cursor,
      limit: q.limit,
      key: (n) => ({ at: n.createdAt, id: n.id }),
      view: (n) => {
        const own = n.recipientUserId === actor.userId;
        return {
          id: n.id,
          recipientUserId: n.recipientUserId,
          recipientAddress: n.recipientAddress,
          subject: own ? n.subject : null,
          body: own ? n.body : null,
          status: n.status,
          attempts: n.attempts,
          lastError: n.lastError,
          sentAt: n.sentAt?.toISOString() ?? null,
          createdAt: n.createdAt.toISOString(),
        };
      },
    });
  }
}
