import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import {
  APPOINTMENT_STATUSES,
  BOOKING_STATUSES,
  MAX_APPOINTMENT_RANGE_DAYS,
  SERIES_STATUSES,
  type AppointmentStatus,
  type SeriesStatus,
} from '#clinic';
import { IsCalendarDate, IsCalendarDateBetween, IsTimestamp, OptionalNotNull, PageQuery } from '../http/dto.js';

export class CreateChairDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name!: string;
}

export class UpdateChairDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() active?: boolean;
}

export class ChairDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() active!: boolean;
}

export class BookAppointmentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() patientId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() chairId!: string;
  @ApiProperty({ example: 'ketamine-iv-standard' }) @IsString() @MinLength(1) @MaxLength(100) protocol!: string;
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() startsAt!: string;
  @ApiPropertyOptional({ enum: BOOKING_STATUSES, default: 'booked' })
  @OptionalNotNull()
  @IsIn(BOOKING_STATUSES)
  status?: (typeof BOOKING_STATUSES)[number];
}

export class AppointmentQuery extends PageQuery {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() from!: string;
  @ApiProperty({ format: 'date-time', description: `at most ${MAX_APPOINTMENT_RANGE_DAYS} days after from` }) @IsTimestamp() to!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() chairId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalNotNull() @IsUUID() patientId?: string;
}

export class CancelAppointmentDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

export class MoveAppointmentDto {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() startsAt!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'default: the same chair' }) @OptionalNotNull() @IsUUID() chairId?: string;
}

export class AppointmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) patientId!: string;
  @ApiProperty({ format: 'uuid' }) chairId!: string;
  @ApiProperty() protocol!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'dosing + minimum observation + turnover' }) endsAt!: string;
  @ApiProperty({ enum: APPOINTMENT_STATUSES }) status!: AppointmentStatus;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) sessionId!: string | null;
  @ApiProperty({ type: [String], description: 'e.g. consent-withdrawn' }) flags!: string[];
  @ApiProperty({ type: String, nullable: true }) cancelReason!: string | null;
}

export class BookSeriesDto {
  @ApiProperty({ example: 'ketamine-iv-standard' }) @IsString() @MinLength(1) @MaxLength(100) protocol!: string;
  @ApiProperty({ format: 'date', description: 'the first session’s local date (2000-01-01 to 2099-12-31)' })
  @IsCalendarDateBetween('2000-01-01', '2099-12-31')
  startDate!: string;
  @ApiProperty({ example: '09:00', description: 'local time of every session, constant across daylight-saving changes' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'preferredTime must be HH:MM' })
  preferredTime!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'default: the first free chair for each session' })
  @OptionalNotNull()
  @IsUUID()
  chairId?: string;
}

export class SeriesDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() protocol!: string;
  @ApiProperty({ format: 'date' }) startDate!: string;
  @ApiProperty() preferredTime!: string;
  @ApiProperty() sessionsPlanned!: number;
  @ApiProperty({ enum: SERIES_STATUSES }) status!: SeriesStatus;
}

export class SeriesProgressDto extends SeriesDto {
  @ApiProperty() completed!: number;
  @ApiProperty({ description: 'no-show or cancelled' }) missed!: number;
  @ApiProperty({ description: 'booked, tentative or checked in' }) ahead!: number;
}

export class SeriesBookingDto {
  @ApiProperty({ type: SeriesDto }) series!: SeriesDto;
  @ApiProperty({ type: [AppointmentDto] }) appointments!: AppointmentDto[];
}

export class ScheduleQuery {
  @ApiProperty({ format: 'date', description: 'the clinic’s calendar day' }) @IsCalendarDate() date!: string;
}

export class ChairPageDto {
  @ApiProperty({ type: [ChairDto] }) items!: ChairDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AppointmentPageDto {
  @ApiProperty({ type: [AppointmentDto] }) items!: AppointmentDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SeriesProgressPageDto {
  @ApiProperty({ type: [SeriesProgressDto] }) items!: SeriesProgressDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

class ScheduledPatientDto {
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty() mrn!: string;
}

export class ScheduledAppointmentDto extends AppointmentDto {
  @ApiProperty({ type: ScheduledPatientDto, description: 'who comes, so the front desk needs no second look-up' })
  patient!: ScheduledPatientDto;
}

class FreeTimeDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

class ChairDayDto {
  @ApiProperty({ format: 'uuid' }) chairId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [ScheduledAppointmentDto], description: 'by start time; cancelled and no-show left out' })
  appointments!: ScheduledAppointmentDto[];
  @ApiProperty({ type: [FreeTimeDto], description: 'the chair’s free time within opening hours' }) free!: FreeTimeDto[];
}

export class DayScheduleDto {
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty({ example: 'America/New_York', description: 'the clinic’s IANA time zone' }) timeZone!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string', example: '09:00' }, minItems: 2, maxItems: 2 },
    description: 'the day’s opening intervals, [opens, closes] in local HH:MM (empty: closed)',
  })
  openingHours!: [string, string][];
  @ApiProperty({ type: [ChairDayDto], description: 'every active chair' }) chairs!: ChairDayDto[];
}
