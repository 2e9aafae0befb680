import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LedgerInspectionService, type RangeReportName } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import {
  DiscrepanciesReportDto,
  DisposalsReportDto,
  InventoriesReportDto,
  LossesReportDto,
  OnHandInspectionDto,
  OnHandReportQuery,
  ReceiptsReportDto,
} from './reports.dto.js';
import { DispensingQuery } from './stock.dto.js';

type Csv = { csv: string; sha256: string; retentionYears: number };

/** The CSV as a download, its SHA-256 and the clinic's record retention in headers. */
export function csvAnswer(res: FastifyReply, filename: string, report: Csv): string {
  void res.header('content-disposition', `attachment; filename="${filename}.csv"`);
  void res.header('x-content-sha256', report.sha256);
  void res.header('x-record-retention-years', String(report.retentionYears));
  return report.csv;
}

const CSV = {
  schema: { type: 'string' },
  description: 'as CSV (its SHA-256 in X-Content-SHA256 and the audit trail; X-Record-Retention-Years)',
};

/** The reports an inspector asks for between two of the clinic's dates, and the stock on hand at a day's end: JSON or CSV, each audited with its SHA-256. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger/reports')
export class LedgerReportsController {
  constructor(private readonly inspection: LedgerInspectionService) {}

  private async json(actor: Actor, name: RangeReportName, q: DispensingQuery) {
    const { csv: _csv, ...report } = await this.inspection.report(actor, name, q.from, q.to);
    return report;
  }

  private async csv(actor: Actor, name: RangeReportName, q: DispensingQuery, res: FastifyReply): Promise<string> {
    return csvAnswer(res, `${name}-${q.from}-${q.to}`, await this.inspection.report(actor, name, q.from, q.to));
  }

  @Get('receipts')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({
    type: ReceiptsReportDto,
    description: 'stock received: containers, date, supplier name, address and DEA number (21 CFR 1304.22(c))',
  })
  receipts(@CurrentActor() actor: Actor, @Query() q: DispensingQuery): Promise<ReceiptsReportDto> {
    return this.json(actor, 'receipts', q) as Promise<ReceiptsReportDto>;
  }

  @Get('receipts/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse(CSV)
  receiptsCsv(@CurrentActor() actor: Actor, @Query() q: DispensingQuery, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    return this.csv(actor, 'receipts', q, res);
  }

  @Get('discrepancies')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: DiscrepanciesReportDto, description: 'discrepancies found, with how each was resolved' })
  discrepancies(@CurrentActor() actor: Actor, @Query() q: DispensingQuery): Promise<DiscrepanciesReportDto> {
    return this.json(actor, 'discrepancies', q) as Promise<DiscrepanciesReportDto>;
  }

  @Get('discrepancies/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse(CSV)
  discrepanciesCsv(
    @CurrentActor() actor: Actor,
    @Query() q: DispensingQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    return this.csv(actor, 'discrepancies', q, res);
  }

  @Get('losses')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: LossesReportDto, description: 'thefts and losses discovered, with the notice and Form 106 as recorded' })
  losses(@CurrentActor() actor: Actor, @Query() q: DispensingQuery): Promise<LossesReportDto> {
    return this.json(actor, 'losses', q) as Promise<LossesReportDto>;
  }

  @Get('losses/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse(CSV)
  lossesCsv(@CurrentActor() actor: Actor, @Query() q: DispensingQuery, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    return this.csv(actor, 'losses', q, res);
  }

  @Get('disposals')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({
    type: DisposalsReportDto,
    description: 'stock destroyed (the lines of DEA Form 41) or transferred to a reverse distributor',
  })
  disposals(@CurrentActor() actor: Actor, @Query() q: DispensingQuery): Promise<DisposalsReportDto> {
    return this.json(actor, 'disposals', q) as Promise<DisposalsReportDto>;
  }

  @Get('disposals/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse(CSV)
  disposalsCsv(@CurrentActor() actor: Actor, @Query() q: DispensingQuery, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    return this.csv(actor, 'disposals', q, res);
  }

  @Get('inventories')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: InventoriesReportDto, description: 'every line of the inventories taken (21 CFR 1304.11)' })
  inventories(@CurrentActor() actor: Actor, @Query() q: DispensingQuery): Promise<InventoriesReportDto> {
    return this.json(actor, 'inventories', q) as Promise<InventoriesReportDto>;
  }

  @Get('inventories/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse(CSV)
  inventoriesCsv(
    @CurrentActor() actor: Actor,
    @Query() q: DispensingQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    return this.csv(actor, 'inventories', q, res);
  }

  @Get('on-hand')
  @Roles('anesthesiologist', 'admin')
  @ApiOkResponse({ type: OnHandInspectionDto, description: 'stock on hand at the end of a day by product, NDC, lot and expiry' })
  async onHand(@CurrentActor() actor: Actor, @Query() q: OnHandReportQuery): Promise<OnHandInspectionDto> {
    const { csv: _csv, ...report } = await this.inspection.onHand(actor, q);
    return report;
  }

  @Get('on-hand/csv')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOkResponse(CSV)
  async onHandCsv(
    @CurrentActor() actor: Actor,
    @Query() q: OnHandReportQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    const report = await this.inspection.onHand(actor, q);
    return csvAnswer(res, `on-hand-${report.asOf}`, report);
  }
}
