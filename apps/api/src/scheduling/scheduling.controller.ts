import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { appointmentView, AppointmentsService, ChairsService, chairView, DayScheduleService, TreatmentSeriesService } from '#clinic';
import { AnyRole, Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, optionalDate, PageQuery } from '../http/dto.js';
import { FieldChecks, type CheckedBody } from '../http/field-checks.js';
import {
  AppointmentDto,
  AppointmentPageDto,
  AppointmentQuery,
  BookAppointmentDto,
  BookSeriesDto,
  CancelAppointmentDto,
  ChairDto,
  ChairPageDto,
  CreateChairDto,
  DayScheduleDto,
  MoveAppointmentDto,
  ScheduleQuery,
  SeriesBookingDto,
  SeriesProgressPageDto,
  UpdateChairDto,
} from './scheduling.dto.js';
import { AuditRead, byParam, byPatientFilter, byQuery } from '../http/audit-read.js';

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller()
export class SchedulingController {
  constructor(
    private readonly chairsService: ChairsService,
    private readonly appointmentsService: AppointmentsService,
    private readonly seriesService: TreatmentSeriesService,
    private readonly dayService: DayScheduleService,
  ) {}

  @Post('chairs')
  @Roles('admin')
  @ApiCreatedResponse({ type: ChairDto })
  async createChair(@CurrentActor() actor: Actor, @Body() b: CreateChairDto): Promise<ChairDto> {
    return chairView(await this.chairsService.create(actor, b.name));
  }

  /** Every role: nurses seat patients and name chairs too; only administrators add or retire them. */
  @Get('chairs')
  @AnyRole()
  @ApiOkResponse({ type: ChairPageDto, description: 'by name, retired ones included (`active: false`)' })
  chairs(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<ChairPageDto> {
    return this.chairsService.list(actor, q);
  }

  @Patch('chairs/:id')
  @Roles('admin')
  @ApiOkResponse({ type: ChairDto })
  async updateChair(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: UpdateChairDto): Promise<ChairDto> {
    return chairView(await this.chairsService.update(actor, p.id, b));
  }

  @Post('appointments')
  @Roles('admin')
  @FieldChecks(AppointmentsService, (s, r: CheckedBody<BookAppointmentDto>) =>
    s.bookingProblems(r.actor, { ...r.body, startsAt: optionalDate(r.body.startsAt) }),
  )
  @ApiCreatedResponse({ type: AppointmentDto, description: '409 CHAIR_DOUBLE_BOOKED / PATIENT_DOUBLE_BOOKED; 422 OUTSIDE_OPENING_HOURS' })
  async book(@CurrentActor() actor: Actor, @Body() b: BookAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.appointmentsService.book(actor, { ...b, startsAt: new Date(b.startsAt) }));
  }

  @Get('appointments')
  @AuditRead('appointment.list.read', byPatientFilter('appointment'))
  @AnyRole()
  @ApiOkResponse({ type: AppointmentPageDto, description: 'starting between from and to (at most 31 days), by start time' })
  appointments(@CurrentActor() actor: Actor, @Query() q: AppointmentQuery): Promise<AppointmentPageDto> {
    return this.appointmentsService.list(actor, { ...q, from: new Date(q.from), to: new Date(q.to) });
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto })
  async cancel(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: CancelAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.appointmentsService.cancel(actor, p.id, b.reason));
  }

  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto })
  async noShow(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: CancelAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.appointmentsService.cancel(actor, p.id, b.reason, 'no-show'));
  }

  @Post('appointments/:id/confirm')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AppointmentDto, description: 'a proposed (tentative) maintenance session becomes booked; its task is done' })
  async confirm(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<AppointmentDto> {
    return appointmentView(await this.appointmentsService.confirm(actor, p.id));
  }

  @Post('appointments/:id/move')
  @HttpCode(200)
  @Roles('admin')
  @FieldChecks(AppointmentsService, (s, r: CheckedBody<MoveAppointmentDto>) =>
    s.bookingProblems(r.actor, { chairId: r.body.chairId, startsAt: optionalDate(r.body.startsAt) }),
  )
  @ApiOkResponse({ type: AppointmentDto, description: 'the new appointment; the old one stays as cancelled ("moved")' })
  async move(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: MoveAppointmentDto): Promise<AppointmentDto> {
    return appointmentView(await this.appointmentsService.move(actor, p.id, { startsAt: new Date(b.startsAt), chairId: b.chairId }));
  }

  @Post('patients/:id/series')
  @Roles('admin')
  @FieldChecks(TreatmentSeriesService, (s, r: CheckedBody<BookSeriesDto>) => s.bookingProblems(r.actor, r.body))
  @ApiCreatedResponse({
    type: SeriesBookingDto,
    description: 'all or nothing: 409 SERIES_UNPLACEABLE lists the dates that cannot be placed with the nearest free times',
  })
  async bookSeries(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: BookSeriesDto): Promise<SeriesBookingDto> {
    const { series, appointments } = await this.seriesService.book(actor, p.id, b);
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
  @AuditRead('patient.series.read', byParam('patient'))
  @AnyRole()
  @ApiOkResponse({
    type: SeriesProgressPageDto,
    description: 'each series, in the order booked, with sessions completed, missed and still ahead',
  })
  series(@CurrentActor() actor: Actor, @Param() p: IdParam, @Query() q: PageQuery): Promise<SeriesProgressPageDto> {
    return this.seriesService.ofPatient(actor, p.id, q);
  }

  @Get('schedule')
  @AuditRead('schedule.read', byQuery('schedule', 'date'))
  @AnyRole()
  @ApiOkResponse({
    type: DayScheduleDto,
    description: 'the clinic’s day per chair: appointments (each with its patient’s names and MRN) and free time within opening hours',
  })
  schedule(@CurrentActor() actor: Actor, @Query() q: ScheduleQuery): Promise<DayScheduleDto> {
    return this.dayService.day(actor, q.date);
  }
}
