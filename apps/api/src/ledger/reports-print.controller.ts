import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LedgerPrintService, type Printed, type RangeReportName } from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { OnHandReportQuery } from './reports.dto.js';
import { DispensingQuery } from './stock.dto.js';

/** The PDF as a download, its own SHA-256 and the clinic's record retention in headers. */
function pdfAnswer(res: FastifyReply, printed: Printed): Buffer {
  void res.header('content-disposition', `attachment; filename="${printed.filename}.pdf"`);
  void res.header('x-content-sha256', printed.sha256);
  void res.header('x-record-retention-years', String(printed.retentionYears));
  return printed.pdf;
}

const PDF = {
  schema: { type: 'string', format: 'binary' },
  description:
    'a printable PDF (US Letter, landscape): its SHA-256 in X-Content-SHA256 and the audit trail, beside that of the same report as CSV',
};

/** Every controlled-substance report as a printable PDF for an inspector's desk, each audited with its SHA-256. */
@ApiTags('controlled substances')
@ApiBearerAuth()
@Controller('ledger/reports')
export class LedgerReportsPrintController {
  constructor(private readonly print: LedgerPrintService) {}

  private range(actor: Actor, name: RangeReportName, q: DispensingQuery, res: FastifyReply): Promise<Buffer> {
    return this.print.range(actor, name, q.from, q.to).then((printed) => pdfAnswer(res, printed));
  }

  @Get('dispensing/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  async dispensingPdf(
    @CurrentActor() actor: Actor,
    @Query() q: DispensingQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Buffer> {
    return pdfAnswer(res, await this.print.dispensing(actor, q.from, q.to));
  }

  @Get('on-hand/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  async onHandPdf(
    @CurrentActor() actor: Actor,
    @Query() q: OnHandReportQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Buffer> {
    return pdfAnswer(res, await this.print.onHand(actor, q));
  }

  @Get('receipts/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  receiptsPdf(@CurrentActor() actor: Actor, @Query() q: DispensingQuery, @Res({ passthrough: true }) res: FastifyReply): Promise<Buffer> {
    return this.range(actor, 'receipts', q, res);
  }

  @Get('discrepancies/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  discrepanciesPdf(
    @CurrentActor() actor: Actor,
    @Query() q: DispensingQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Buffer> {
    return this.range(actor, 'discrepancies', q, res);
  }

  @Get('losses/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  lossesPdf(@CurrentActor() actor: Actor, @Query() q: DispensingQuery, @Res({ passthrough: true }) res: FastifyReply): Promise<Buffer> {
    return this.range(actor, 'losses', q, res);
  }

  @Get('disposals/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  disposalsPdf(@CurrentActor() actor: Actor, @Query() q: DispensingQuery, @Res({ passthrough: true }) res: FastifyReply): Promise<Buffer> {
    return this.range(actor, 'disposals', q, res);
  }

  @Get('inventories/pdf')
  @Roles('anesthesiologist', 'admin')
  @Header('content-type', 'application/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  inventoriesPdf(
    @CurrentActor() actor: Actor,
    @Query() q: DispensingQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<Buffer> {
    return this.range(actor, 'inventories', q, res);
  }
}
