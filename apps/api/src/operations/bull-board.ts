import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthService, DomainError, type JobQueue } from '#platform';
import { toErrorBody } from '../http/error.filter.js';
import { Logger } from '@nestjs/common';

export const BOARD_PATH = '/admin/queues';
const COOKIE = 'vigil_board';

function tokenOf(request: FastifyRequest): { token?: string; fromQuery: boolean } {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^Bearer\s+/i.test(header))
    return { token: header.replace(/^Bearer\s+/i, '').trim(), fromQuery: false };
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (typeof query['token'] === 'string') return { token: query['token'], fromQuery: true };
  const cookie = request.headers.cookie
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === COOKIE);
  return { token: cookie?.[1], fromQuery: false };
}

/**
 * Bull Board at /admin/queues, read-only, for administrators. A browser opens it once with
 * `?token=<access token>`; the token then rides in an HttpOnly cookie limited to this path.
 */
export async function mountBullBoard(fastify: FastifyInstance, jobs: JobQueue, auth: AuthService, accessTtlMin: number): Promise<void> {
  const board = new BoardAdapter();
  board.setBasePath(BOARD_PATH);
  // Read-only: queues are shared by every clinic of the installation, so no clinic's administrator
  // may pause, clean or delete jobs; failed work is retried by the sweeper, not by hand.
  createBullBoard({ queues: jobs.all().map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter: board });
  const logger = new Logger('QueueBoard');
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: DomainError) => {
    const { body, headers } = toErrorBody(error, String(request.id), logger);
    return reply.status(body.statusCode).headers(headers).send(body);
  };
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const { token, fromQuery } = tokenOf(request);
        if (!token) return refuse(request, reply, DomainError.unauthenticated());
        try {
          const actor = await auth.authenticate(token);
          if (actor.role !== 'admin') return refuse(request, reply, DomainError.forbidden('The queue board is for administrators'));
        } catch (err) {
          return refuse(request, reply, err as DomainError);
        }
        if (fromQuery) {
          void reply.header(
            'Set-Cookie',
            `${COOKIE}=${token}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${accessTtlMin * 60}`,
          );
        }
        return undefined;
      });
      await scope.register(board.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
