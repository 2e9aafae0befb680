import { Catch, HttpException, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { AuditService, DomainError, ErrorCode, type Actor, type ErrorDetail } from '#platform';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: ErrorDetail[];
  requestId: string;
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  431: ErrorCode.HeadersTooLarge,
};

/** PostgreSQL refused a connection, went away or did not answer in time: answer 503 quickly, never hang. */
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout exceeded when trying to connect|Connection terminated|the database system is (starting up|shutting down|in recovery mode)|terminating connection|Client has encountered a connection error/i;
/** Connection failures by code: the network's, the data source's deadline, PostgreSQL's own (admin shutdown, crash, cannot connect now). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'VIGIL_DB_NO_ANSWER', '57P01', '57P02', '57P03']);

function databaseUnavailable(err: unknown): boolean {
  // The connection broke between two queries of a transaction: TypeORM released it, the next query finds it gone.
  if (err instanceof QueryRunnerAlreadyReleasedError || err instanceof QueryRunnerProviderAlreadyReleasedError) return true;
  const e = err as { code?: string; message?: string };
  return UNAVAILABLE_CODES.has(e.code ?? '') || UNAVAILABLE.test(e.message ?? '');
}

type Answer = { body: ErrorBody; headers: Record<string, string> };
/** An answer without its request id, which toErrorBody adds. */
type Shape = { status: number; code: string; message: string; details?: ErrorDetail[]; headers?: Record<string, string> };

/** Turns any error into api.md's error shape. Unknown errors become a bare 500; the log has the rest. */
export function toErrorBody(err: unknown, requestId: string, logger: Logger): Answer {
  const shape = knownError(err) ?? unavailableOrInternal(err, logger);
  return {
    body: { statusCode: shape.status, code: shape.code, message: shape.message, details: shape.details ?? [], requestId },
    headers: shape.headers ?? {},
  };
}

/** A domain error, Nest's or Fastify's HTTP errors, or a refusal by PostgreSQL the client can act on. */
function knownError(err: unknown): Shape | undefined {
  if (err instanceof DomainError)
    return { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers };
  if (err instanceof HttpException) return httpException(err);
  const e = err as { code?: string; statusCode?: number; message?: string };
  // Errors Fastify raises before a route runs (malformed JSON, body too large, bad content type).
  if (typeof e.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode < 500) {
    const status = e.statusCode;
    return {
      status,
      code: HTTP_CODES[status] ?? ErrorCode.ValidationFailed,
      message: e.message ?? 'Bad request',
      details: status === 400 ? [{ field: 'body', message: e.message ?? 'malformed' }] : [],
    };
  }
  if (err instanceof QueryFailedError) return refusedQuery(err);
  return undefined;
}

function httpException(err: HttpException): Shape {
  const status = err.getStatus();
  const response = err.getResponse();
  const message: unknown = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? err.message);
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : err.message;
  return {
    status,
    code: HTTP_CODES[status] ?? (status >= 500 ? ErrorCode.InternalError : ErrorCode.Conflict),
    message: text,
    details: status === 400 ? [{ field: 'body', message: text }] : [],
  };
}

/** The constraint and data errors of PostgreSQL that a request caused (undefined for the others). */
function refusedQuery(err: object): Shape | undefined {
  const code = (err as unknown as { code?: string }).code;
  if (code === '23505' && (err as unknown as { constraint?: string }).constraint === 'ux_sessions_patient_active')
    return { status: 409, code: ErrorCode.PatientHasActiveSession, message: 'The patient already has a session in progress' };
  if (code === '23505' && (err as unknown as { constraint?: string }).constraint === 'ux_sessions_chair_active')
    return { status: 409, code: ErrorCode.ChairInUse, message: 'The chair has a session in progress; check in to another chair' };
  if (code === '22021' || code === '22P05')
    return {
      status: 400,
      code: ErrorCode.ValidationFailed,
      message: 'Text must not contain NUL characters',
      details: [{ field: 'body', message: 'contains a NUL (\\u0000) character' }],
    };
  if (code === '22P02' || code === '22007' || code === '22008')
    return {
      status: 400,
      code: ErrorCode.ValidationFailed,
      message: 'A value is not in the expected format',
      details: [{ field: 'query', message: 'malformed value' }],
    };
  if (code === '23505') return { status: 409, code: ErrorCode.DuplicateKey, message: 'A record with the same unique key already exists' };
  if (code === '23P01') return { status: 409, code: ErrorCode.Conflict, message: 'Conflicts with an existing record' };
  // 55P03: a row lock not granted within the transaction's lock_timeout (someone else is changing the record).
  if (code === '40001' || code === '40P01' || code === '55P03')
    return { status: 409, code: ErrorCode.Conflict, message: 'Concurrent change; try again' };
  return undefined;
}

/** 503 when the database cannot be reached; anything else is a bare 500, logged. */
function unavailableOrInternal(err: unknown, logger: Logger): Shape {
  if (databaseUnavailable(err)) {
    logger.error(`database unavailable: ${(err as { message?: string }).message ?? String(err)}`);
    return {
      status: 503,
      code: ErrorCode.DatabaseUnavailable,
      message: 'The database is unavailable; try again shortly',
      headers: { 'Retry-After': '5' },
    };
  }
  logger.error(err instanceof Error ? err : String(err), err instanceof Error ? err.stack : undefined);
  return { status: 500, code: ErrorCode.InternalError, message: 'Internal server error' };
}

/** The refusals the trail records (401s are recorded where the token is checked). */
const AUDITED_REFUSALS = new Set([403, 404, 409, 422]);

/** What a refused request was about: the route's first segment (a FHIR route's resource type) and the `:id` it named. */
export function refusalOf(request: FastifyRequest & { actor?: Actor }, body: ErrorBody) {
  const route = request.routeOptions?.url;
  if (!request.actor || !route || !AUDITED_REFUSALS.has(body.statusCode)) return undefined;
  const id = (request.params as Record<string, unknown> | undefined)?.['id'];
  return {
    status: body.statusCode,
    code: body.code,
    method: request.method,
    route,
    resourceType: route.replace(/^\/(api\/v\d+|fhir\/R4)\//, '').split('/')[0] || 'route',
    resourceId: typeof id === 'string' ? id.slice(0, 100) : null,
    actor: request.actor,
  };
}

/**
 * Every error in api.md's shape. A refusal of a signed-in user (403, 404, 409, 422) is recorded
 * in the trail first, on its own: the business transaction has rolled back by now.
 */
@Catch()
@Injectable()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly audit: AuditService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const { body, headers } = toErrorBody(exception, String(request.id), this.logger);
    // JSON whatever the route declared (/metrics sets text/plain before its handler runs).
    const send = () => void reply.status(body.statusCode).headers(headers).type('application/json; charset=utf-8').send(body);
    const refusal = refusalOf(request, body);
    if (!refusal) return send();
    void this.audit.recordRequestRefusal(refusal).finally(send);
  }
}
