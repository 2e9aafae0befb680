import { Catch, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService, type Actor } from '#platform';
import { refusalOf, toErrorBody } from '../http/error.filter.js';
import { FHIR_JSON, operationOutcome } from './fhir-http.js';

/**
 * Errors of the FHIR API: the status Vigil's own filter would answer, the body an OperationOutcome,
 * and a refusal of a signed-in user recorded in the trail the same way.
 */
@Catch()
@Injectable()
export class FhirErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('FHIR');

  constructor(private readonly audit: AuditService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const { body, headers } = toErrorBody(exception, String(request.id), this.logger);
    const send = () => void reply.status(body.statusCode).headers(headers).type(FHIR_JSON).send(operationOutcome(body));
    const refusal = refusalOf(request, body);
    if (!refusal) return send();
    void this.audit.recordRequestRefusal(refusal).finally(send);
  }
}
