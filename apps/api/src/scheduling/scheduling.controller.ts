import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { appointmentView, SchedulingService, type Chair } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, IsCalendarDate, IsTimestamp, OptionalNotNull } from '../http/dto.js';

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
  @ApiPropertyOptional({ enum: ['booked', 'tentative'], default: 'booked' }) @OptionalNotNull() @IsIn(['booked', 'tentative']) status?:
    'booked' | 'tentative';
}

export class AppointmentQuery {
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() from!: string;
  @ApiProperty({ format: 'date-time' }) @IsTimestamp() to!: string;
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
  @ApiProperty({ enum: ['booked', 'tentative', 'checked-in', 'completed', 'cancelled', 'no-show'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) sessionId!: string | null;
  @ApiProperty({ type: [String], description: 'e.g. consent-withdrawn' }) flags!: string[];
  @ApiProperty({ type: String, nullable: true }) cancelReason!: string | null;
}

export class BookSeriesDto {
  @ApiProperty({ example: 'ketamine-iv-standard' }) @IsString() @MinLength(1) @MaxLength(100) protocol!: string;
  @ApiProperty({ format: 'date', description: 'the first session’s local date' }) @IsCalendarDate() startDate!: string;
  @ApiProperty({ example: '09:00', description: 'local time of every session, constant across daylight-saving changes' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'preferredTime must be HH:MM' })
  preferredTime!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'default: the first free chair for each session' })
  @OptionalNotNull()
  @IsUUID()
  chairId?: string;
}

class SeriesDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() protocol!: string;
  @ApiProperty({ format: 'date' }) startDate!: string;
  @ApiProperty() preferredTime!: string;
  @ApiProperty() sessionsPlanned!: number;
  @ApiProperty() status!: string;
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

const chairView = (c: Chair): ChairDto => ({ id: c.id, name: c.name, active: c.active });

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller()
export class SchedulingController {
  constructor(private readonly scheduling: SchedulingService) {}

  @Post('chairs')
  @Roles('admin')
  @ApiCreatedResponse({ type: ChairDto })
  async createChair(@CurrentActor() actor: Actor, @Body() b: CreateChairDto): Promise<ChairDto> {
    return chairView(await this.scheduling.createChair(actor, b.name));
  }

  @Get('chairs')
  @Roles('admin')
  @ApiOkResponse({ type: [ChairDto] })
  async chairs(@CurrentActor() actor: Actor): Promise<ChairDto[]> {
    return (await this.scheduling.listChairs(actor)).map(chairView);
  }

  @Patch('chairs/:id')
  @Roles('admin')
  @ApiOkResponse({ type: ChairDto })
  async updateChair(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: UpdateChairDto): Promise<ChairDto> {
    return chairView(await this.scheduling.updateChair(actor, p.id, b));
  }

  @Post('appointments')
  @Roles('admin')
  @ApiCreatedResponse({ type: AppointmentDto, description: '409 CHAIR_DOUBLE_BOOKED / PATIENT_DOUBLE_BOOKED; 422 OUTSIDE_OPENING_HOURS' })
  async book(@CurrentActor() actor: Actor, @Body() b: BookAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.scheduling.book(actor, { ...b, startsAt: new Date(b.startsAt) }));
  }

  @Get('appointments')
  @AnyRole()
  @ApiOkResponse({ type: [AppointmentDto] })
  async appointments(@CurrentActor() actor: Actor, @Query() q: AppointmentQuery): Promise<AppointmentDto[]> {
    return (
      await this.scheduling.list(actor, { from: new Date(q.from), to: new Date(q.to), chairId: q.chairId, patientId: q.patientId })
    ).map(appointmentView);
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto })
  async cancel(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: CancelAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.scheduling.cancel(actor, p.id, b.reason));
  }

  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto })
  async noShow(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: CancelAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.scheduling.cancel(actor, p.id, b.reason, 'no-show'));
  }

  @Post('appointments/:id/confirm')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto, description: 'a proposed (tentative) maintenance session becomes booked; its task is done' })
  async confirm(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<AppointmentDto> {
    return appointmentView(await this.scheduling.confirm(actor, p.id));
  }

  @Post('appointments/:id/move')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto, description: 'the new appointment; the old one stays as cancelled ("moved")' })
  async move(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: MoveAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.scheduling.move(actor, p.id, { startsAt: new Date(b.startsAt), chairId: b.chairId }));
  }

  @Post('patients/:id/series')
  @Roles('admin')
  @ApiCreatedResponse({
    type: SeriesBookingDto,
    description: 'all or nothing: 409 SERIES_UNPLACEABLE lists the dates that cannot be placed with the nearest free times',
  })
  async bookSeries(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: BookSeriesDto): Promise<SeriesBookingDto> {
    const { series, appointments } = await this.scheduling.bookSeries(actor, p.id, b);
    return {
      series: {
        id: series.id,
        protocol: series.protocolKey,
        startDate: series.startDate,
        preferredTime: series.preferredTime,
        sessionsPlanned: series.sessionsPlanned,
        status: series.status,
      },
      appointments: appointments.map(appointmentView),
    };
  }

  @Get('patients/:id/series')
  @AnyRole()
  @ApiOkResponse({ type: [SeriesProgressDto], description: 'each series with sessions completed, missed and still ahead' })
  series(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<SeriesProgressDto[]> {
    return this.scheduling.seriesOf(actor, p.id);
  }

  @Get('schedule')
  @AnyRole()
  @ApiOkResponse({ description: 'the clinic’s day per chair: appointments and free time within opening hours' })
  schedule(@CurrentActor() actor: Actor, @Query() q: ScheduleQuery): Promise<Record<string, unknown>> {
    return this.scheduling.day(actor, q.date);
  }
}
