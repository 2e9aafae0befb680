import {
  applyDecorators,
  Injectable,
  Logger,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import { DomainError, type Actor, type FieldProblem } from '#platform';
import { BodyRefused } from './validation.js';

/** What a route's field checks see when its DTO refused part of the body: only the fields the DTO accepted. */
export interface CheckedBody<B> {
  actor: Actor;
  params: Record<string, string>;
  body: Partial<B>;
}

type Check<S, B> = (service: S, request: CheckedBody<B>) => FieldProblem[] | Promise<FieldProblem[]>;

interface Spec {
  service: Type<unknown>;
  check: Check<unknown, unknown>;
  dependsOn: Record<string, string[]>;
}

const FIELD_CHECKS = 'vigil:field-checks';

/**
 * The checks a route's service makes on fields after its DTO (a birth date in the clinic's future,
 * a chair that is not the clinic's), run as well when the DTO refuses the body: one 400 names every
 * bad field, not only those of the DTO. The service still runs them itself on a body the DTO accepts.
 * `dependsOn` names, per field a check speaks of, the fields its problem is about too: when the DTO
 * refused one of those, that problem is left out (an email preference "needs an address" when the
 * address sent was refused says nothing more).
 */
export function FieldChecks<S, B>(service: Type<S>, check: Check<S, B>, dependsOn: Record<string, string[]> = {}): MethodDecorator {
  return applyDecorators(SetMetadata(FIELD_CHECKS, { service, check, dependsOn }), UseInterceptors(FieldChecksInterceptor));
}

/** The top-level field of a problem's path: `emergencyContact` of `emergencyContact.phone`, `readings` of `readings[3].systolic`. */
const topField = (path: string) => path.split(/[.[]/)[0] ?? path;

@Injectable()
export class FieldChecksInterceptor implements NestInterceptor {
  private readonly logger = new Logger('FieldChecks');

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<Spec | undefined>(FIELD_CHECKS, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    return next
      .handle()
      .pipe(catchError((error: unknown) => from(this.complete(error, spec, request)).pipe(mergeMap((e) => throwError(() => e)))));
  }

  /** The DTO's refusal with the service's problems among the fields it accepted; any other error as it is. */
  private async complete(error: unknown, spec: Spec | undefined, request: FastifyRequest & { actor?: Actor }): Promise<unknown> {
    if (!(error instanceof BodyRefused) || !spec || !request.actor) return error;
    const refused = new Set(error.problems.map((p) => topField(p.field)));
    const sent = (request.body ?? {}) as Record<string, unknown>;
    const body = Object.fromEntries(Object.entries(sent).filter(([field]) => !refused.has(field)));
    try {
      const service = this.moduleRef.get(spec.service, { strict: false });
      const more = (await spec.check(service, { actor: request.actor, params: request.params as Record<string, string>, body })).filter(
        (p) => !refused.has(topField(p.field)) && !(spec.dependsOn[topField(p.field)] ?? []).some((f) => refused.has(f)),
      );
      return more.length ? DomainError.validation([...error.problems, ...more]) : error;
    } catch (checkError) {
      // The refusal stands as the DTO made it (a record not found, an id the DTO refused): the checks only complete it.
      if (!(checkError instanceof DomainError)) this.logger.warn(`field checks failed: ${String(checkError)}`);
      return error;
    }
  }
}
