import {
  applyDecorators,
  Injectable,
  Logger,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { concatMap, type Observable } from 'rxjs';
import { AuditService, requestContext, type AuditEntry } from '#platform';

const AUDIT_READ = 'vigil:audit-read';

/** What a read was about: a resource type and, when the route names one, its id. */
export interface ReadResource {
  type: string;
  id: string | null;
}
type ResourceOf = (request: FastifyRequest) => ReadResource;

interface ReadSpec {
  action: string;
  resource: ResourceOf;
  /** A stream: recorded when it opens (`<action>.open`) and when it closes (`<action>.close`, with its duration). */
  stream: boolean;
}

/** Paging (and FHIR's paging and format), not filters: left out of the row. */
const PAGING = new Set(['limit', 'cursor', '_count', '_cursor', '_format']);
const text = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 100) : null);

/** The filters of a list read (not its paging), kept in the row's `changes`: which patient, which day, which status. */
function filtersOf(request: FastifyRequest): Record<string, unknown> | null {
  const entries = Object.entries((request.query ?? {}) as Record<string, unknown>)
    .filter(([k]) => !PAGING.has(k))
    .map(([k, v]) => [k.slice(0, 50), text(v)] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

/** The resource is the route's `:id` (`GET /sessions/:id/vitals`: that session). */
export const byParam =
  (type: string): ResourceOf =>
  (request) => ({ type, id: text((request.params as Record<string, unknown> | undefined)?.['id']) });

/** A list filtered by patient is a read of that patient's data; otherwise a read of the list of `type`. */
export const byPatientFilter =
  (type: string): ResourceOf =>
  (request) => {
    const patientId = text((request.query as Record<string, unknown> | undefined)?.['patientId']);
    return patientId ? { type: 'patient', id: patientId } : { type, id: null };
  };

/** The resource is named by a query value (`GET /schedule?date=`: that day's schedule). */
export const byQuery =
  (type: string, key: string): ResourceOf =>
  (request) => ({ type, id: text((request.query as Record<string, unknown> | undefined)?.[key]) });

/** A list of `type`, whatever its filters (they are kept in `changes`). */
export const listOf =
  (type: string): ResourceOf =>
  () => ({ type, id: null });

/**
 * Audits a successful read of clinical data at the controller boundary: one row (who, which
 * resource, which filters) after the handler answered, none for a refused or failed read. Repeats
 * of the same read within a minute are coalesced (AuditService.recordRead).
 */
export const AuditRead = (action: string, resource: ResourceOf, opts: { stream?: boolean } = {}): MethodDecorator =>
  applyDecorators(
    SetMetadata(AUDIT_READ, { action, resource, stream: opts.stream ?? false } satisfies ReadSpec),
    UseInterceptors(AuditReadInterceptor),
  );

@Injectable()
export class AuditReadInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<unknown>): Observable<unknown> {
    const spec = this.reflector.get<ReadSpec | undefined>(AUDIT_READ, context.getHandler());
    if (!spec) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { type, id } = spec.resource(request);
    const entry: AuditEntry = { action: spec.action, resourceType: type, resourceId: id, changes: filtersOf(request) };
    if (spec.stream) {
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      return next.handle().pipe(concatMap((value: unknown) => this.streamOpened(reply, entry).then(() => value)));
    }
    return next.handle().pipe(concatMap((value: unknown) => this.audit.recordRead(entry).then(() => value)));
  }

  /** The open is recorded now; the close when the client hangs up (in the request's context, with how long it lasted). */
  private async streamOpened(reply: FastifyReply, entry: AuditEntry): Promise<void> {
    const opened = Date.now();
    const ctx = requestContext.current();
    await this.audit.recordRead({ ...entry, action: `${entry.action}.open` }, { coalesce: false });
    const close = () => {
      const seconds = Math.round((Date.now() - opened) / 1000);
      const write = () => this.audit.recordRead({ ...entry, action: `${entry.action}.close`, changes: { seconds } }, { coalesce: false });
      void (ctx ? requestContext.run(ctx, write) : write()).catch((err: Error) =>
        this.logger.error(`audit row of a closed ${entry.resourceType} not written: ${err.message}`),
      );
    };
    if (reply.raw.destroyed || reply.raw.writableFinished) close();
    else reply.raw.once('close', close);
  }
}
