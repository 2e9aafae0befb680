import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LedgerHolidaysService, LedgerLossesService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { IdParam, PageQuery } from '../http/dto.js';
import {
  CreateHolidayDto,
  Form106Dto,
  HolidayDto,
  HolidayPageDto,
  HolidayQuery,
  LossDto,
  LossNoticeDto,
  LossPageDto,
  ReportLossDto,
} from './losses.dto.js';

/** Theft and loss: the report, its two DEA deadlines, the notice and Form 106 as recorded; the clinic's DEA holidays. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerLossesController {
  constructor(
    private readonly losses: LedgerLossesService,
    private readonly holidays: LedgerHolidaysService,
  ) {}

  @Post('losses')
  @Roles('anesthesiologist')
  @ApiCreatedResponse({
    type: LossDto,
    description: 'the notice is due by the end of the next business day, Form 106 within 45 days; reminders follow',
  })
  report(@CurrentActor() actor: Actor, @Body() b: ReportLossDto): Promise<LossDto> {
    return this.losses.report(actor, { ...b, discoveredAt: new Date(b.discoveredAt) });
  }

  @Get('losses')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: LossPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<LossPageDto> {
    return this.losses.list(actor, q);
  }

  @Get('losses/:id')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: LossDto, description: 'with the Form 106 worksheet' })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<LossDto> {
    return this.losses.get(actor, p.id);
  }

  @Post('losses/:id/notice')
  @HttpCode(200)
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: LossDto, description: '409 LOSS_STATE when already recorded' })
  notice(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: LossNoticeDto): Promise<LossDto> {
    return this.losses.recordNotice(actor, p.id, { notifiedAt: new Date(b.notifiedAt), reference: b.reference });
  }

  @Post('losses/:id/form-106')
  @HttpCode(200)
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: LossDto, description: '409 LOSS_STATE before the notice or when already filed' })
  form106(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: Form106Dto): Promise<LossDto> {
    return this.losses.recordForm106(actor, p.id, { filedAt: new Date(b.filedAt), confirmationNumber: b.confirmationNumber });
  }

  @Post('holidays')
  @Roles('admin')
  @ApiCreatedResponse({ type: HolidayDto, description: '409 DUPLICATE_KEY when already listed' })
  addHoliday(@CurrentActor() actor: Actor, @Body() b: CreateHolidayDto): Promise<HolidayDto> {
    return this.holidays.add(actor, b);
  }

  @Get('holidays')
  @Roles('nurse', 'anesthesiologist', 'admin')
  @ApiOkResponse({ type: HolidayPageDto })
  listHolidays(@CurrentActor() actor: Actor, @Query() q: HolidayQuery): Promise<HolidayPageDto> {
    return this.holidays.list(actor, q);
  }

  @Delete('holidays/:id')
  @HttpCode(204)
  @Roles('admin')
  @ApiNoContentResponse({ description: 'a deadline already computed keeps its date' })
  removeHoliday(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<void> {
    return this.holidays.remove(actor, p.id);
  }
}
