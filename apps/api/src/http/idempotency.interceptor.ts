import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import { IdempotencyService, type Actor } from '#platform';

const IDEMPOTENT = 'vigil:idempotent';

/** POSTs a device or a flaky network may repeat (api.md): honour `Idempotency-Key`. */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT, true);

/**
 * With `Idempotency-Key` on an @Idempotent route, the handler's transaction also stores the answer;
 * the same key and request again get that answer (`Idempotent-Replayed: true`), never a second write.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const key = request.headers['idempotency-key'];
    if (!this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()) || typeof key !== 'string' || !request.actor) return next.handle();
    const actor = request.actor;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(
      this.idempotency.run(
        {
          clinicId: actor.clinicId,
          userId: actor.userId,
          key,
          method: request.method,
          path: request.url.split('?')[0] ?? '',
          body: request.body,
        },
        () => lastValueFrom(next.handle() as Observable<unknown>),
      ),
    ).pipe(
      map(({ replayed, body }) => {
        if (replayed) void reply.header('Idempotent-Replayed', 'true');
        return body;
      }),
    );
  }
}
