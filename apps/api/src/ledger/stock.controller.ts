import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LedgerReceiptsService, LedgerReportsService } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { csvAnswer } from './reports.controller.js';
import { IdParam, PageQuery } from '../http/dto.js';
import {
  ContainerPageDto,
  ContainerQuery,
  CountedReceiptDto,
  CountReceiptDto,
  CreateReceiptDto,
  DispensingQuery,
  DispensingReportDto,
  EventQuery,
  LedgerEventPageDto,
  OnHandQuery,
  OnHandReportDto,
  ReceiptDto,
  ReceiptPageDto,
} from './stock.dto.js';

const date = (iso: string | undefined) => (iso ? new Date(iso) : undefined);

/** Receiving stock, the containers to draw from, and what the ledger says is on hand. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger')
export class LedgerStockController {
  constructor(
    private readonly receipts: LedgerReceiptsService,
    private readonly reports: LedgerReportsService,
  ) {}

  @Post('receipts')
  @Roles('anesthesiologist', 'admin')
  @ApiCreatedResponse({ type: ReceiptDto, description: 'the invoice of a delivery, awaiting the receiver’s blind count' })
  enter(@CurrentActor() actor: Actor, @Body() b: CreateReceiptDto): Promise<ReceiptDto> {
    return this.receipts.enter(actor, b);
  }

  @Post('receipts/:id/count')
  @HttpCode(200)
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({
    type: CountedReceiptDto,
    description: 'the counted containers enter stock; a count unlike the invoice opens a discrepancy; 409 ALREADY_COUNTED',
  })
  count(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() b: CountReceiptDto): Promise<CountedReceiptDto> {
    return this.receipts.count(actor, p.id, b);
  }

  @Get('receipts')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: ReceiptPageDto })
  listReceipts(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<ReceiptPageDto> {
    return this.receipts.list(actor, q);
  }

  @Get('containers')
  @Roles('nurse', 'anesthesiologist')
  @ApiOkResponse({ type: ContainerPageDto })
  containers(@CurrentActor() actor: Actor, @Query() q: ContainerQuery): Promise<ContainerPageDto> {
    return this.reports.containers(actor, q);
  }

  @Get('on-hand')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: OnHandReportDto, description: 'stock on hand by product, NDC, lot and expiry, summed from the ledger’s events' })
  onHand(@CurrentActor() actor: Actor, @Query() q: OnHandQuery): Promise<OnHandReportDto> {
    return this.reports.onHand(actor, q.registrationId);
  }

  @Get('events')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: LedgerEventPageDto })
  events(@CurrentActor() actor: Actor, @Query() q: EventQuery): Promise<LedgerEventPageDto> {
    return this.reports.events(actor, { ...q, from: date(q.from), to: date(q.to) });
  }

  @Get('reports/dispensing')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({
    type: DispensingReportDto,
    description: 'every dose drawn from a container in the dates, with the columns of 21 CFR 1304.22(c)',
  })
  async dispensing(@CurrentActor() actor: Actor, @Query() q: DispensingQuery): Promise<DispensingReportDto> {
    const { from, to, retentionYears, rows, sha256 } = await this.reports.dispensing(actor, q.from, q.to);
    return { from, to, retentionYears, rows, sha256 };
  }

  @Get('reports/dispensing/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: 'the dispensing log as CSV (its SHA-256 in X-Content-SHA256 and the audit trail; X-Record-Retention-Years)',
  })
  async dispensingCsv(
    @CurrentActor() actor: Actor,
    @Query() q: DispensingQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    return csvAnswer(res, `dispensing-${q.from}-${q.to}`, await this.reports.dispensing(actor, q.from, q.to));
  }
}
