import { createReadStream } from 'node:fs';
import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  FhirExportsService,
  NDJSON,
  outputsOf,
  parametersOf,
  parseExportRequest,
  requireRespondAsync,
  type ExportStatus,
  type FhirExport,
} from '#clinic';
import { Roles, type Actor } from '#platform';
import { CurrentActor } from '../http/current-actor.decorator.js';
import { queryOf } from './fhir-audit.js';
import { FhirErrorFilter } from './fhir-error.filter.js';
import { baseUrlOf, checkFormat, FHIR_BASE, FHIR_JSON } from './fhir-http.js';

const POLL_SECONDS = '2';

/** X-Progress while it runs (at most 100 characters, as the Bulk Data IG asks). */
function progressOf(e: FhirExport): string {
  if (e.status === 'accepted') return 'Waiting for a worker';
  const done = e.types.filter((t) => e.progress[t]?.done).length;
  const written = Object.values(e.progress).reduce((n, p) => n + p.count, 0);
  const current = e.types.find((t) => !e.progress[t]?.done);
  return `${done} of ${e.types.length} types written, ${written} resources${current ? `; now ${current}` : ''}`.slice(0, 100);
}

const issue = (severity: string, code: string, text: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code, diagnostics: text }],
});

/**
 * FHIR Bulk Data export (Bulk Data Access IG): kick-off at `[base]/$export` (the clinic's data) and
 * `[base]/Patient/$export` (the Patient compartment), by GET or POST with `Prefer: respond-async`;
 * the status URL it answers with (poll, DELETE to cancel) and the NDJSON files, all within the
 * caller's clinic. Administrators and anesthesiologists (docs/fhir.md says why); the work itself is
 * a pending-work row the worker carries out.
 */
@ApiExcludeController()
@UseFilters(FhirErrorFilter)
@Controller(FHIR_BASE)
export class FhirExportController {
  constructor(private readonly exports: FhirExportsService) {}

  @Get('$export')
  @Roles('admin', 'anesthesiologist')
  @HttpCode(202)
  exportClinic(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.kickOff(actor, request, reply, 'system');
  }

  @Post('$export')
  @Roles('admin', 'anesthesiologist')
  @HttpCode(202)
  exportClinicPost(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.kickOff(actor, request, reply, 'system');
  }

  @Get('Patient/$export')
  @Roles('admin', 'anesthesiologist')
  @HttpCode(202)
  exportPatients(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.kickOff(actor, request, reply, 'patient');
  }

  @Post('Patient/$export')
  @Roles('admin', 'anesthesiologist')
  @HttpCode(202)
  exportPatientsPost(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.kickOff(actor, request, reply, 'patient');
  }

  @Get('$export-status/:id')
  @Roles('admin', 'anesthesiologist')
  async status(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const e = await this.exports.find(actor, id);
    const running: ExportStatus[] = ['accepted', 'running'];
    if (running.includes(e.status))
      return reply
        .status(202)
        .headers({ 'X-Progress': progressOf(e), 'Retry-After': POLL_SECONDS })
        .send();
    if (e.status === 'failed')
      return reply
        .status(500)
        .type(FHIR_JSON)
        .send(issue('error', 'exception', e.error ?? 'The export failed'));
    const base = baseUrlOf(request);
    return reply
      .status(200)
      .type('application/json; charset=utf-8')
      .header('Expires', e.expiresAt?.toUTCString() ?? '')
      .send({
        transactionTime: e.requestedAt.toISOString(),
        request: e.requestUrl,
        requiresAccessToken: true,
        output: outputsOf(e).map((o) => ({ type: o.type, url: `${base}/$export-file/${e.id}/${o.type}.ndjson`, count: o.count })),
        error: [],
      });
  }

  @Delete('$export-status/:id')
  @Roles('admin', 'anesthesiologist')
  @HttpCode(202)
  async cancel(@CurrentActor() actor: Actor, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.exports.cancel(actor, id);
    reply.type(FHIR_JSON);
    return issue('information', 'informational', 'The export was cancelled and its files deleted');
  }

  @Get('$export-file/:id/:file')
  @Roles('admin', 'anesthesiologist')
  async file(@CurrentActor() actor: Actor, @Res() reply: FastifyReply, @Param('id') id: string, @Param('file') file: string) {
    const type = /^([A-Za-z]{1,64})\.ndjson$/.exec(file)?.[1] ?? '';
    const { path } = await this.exports.file(actor, id, type);
    return reply.status(200).type(NDJSON).send(createReadStream(path));
  }

  private async kickOff(actor: Actor, request: FastifyRequest, reply: FastifyReply, level: 'system' | 'patient') {
    checkFormat(request);
    requireRespondAsync(request.headers['prefer']);
    const params = { ...parametersOf(request.body), ...queryOf(request) };
    const e = await this.exports.kickOff(actor, parseExportRequest(level, params), `${request.protocol}://${request.host}${request.url}`);
    reply.header('Content-Location', `${baseUrlOf(request)}/$export-status/${e.id}`).type(FHIR_JSON);
    return issue('information', 'informational', `The export was accepted; poll the Content-Location URL for its status`);
  }
}
