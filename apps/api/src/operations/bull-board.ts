import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { Logger } from '@nestjs/common';
import type { JwtService } from '@nestjs/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DataSource } from 'typeorm';
import { type AuthService, DomainError, type JobQueue, User } from '#platform';
import { passwordChangeRequired } from '../http/auth.guard.js';
import { toErrorBody } from '../http/error.filter.js';

export const BOARD_PATH = '/admin/queues';
const COOKIE = 'vigil_board';
const SESSION_ROUTE = `${BOARD_PATH}/session`;

interface BoardClaims {
  sub: string;
  typ: string;
}

const bearerOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
};

const cookieOf = (request: FastifyRequest): string | undefined =>
  request.headers.cookie
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === COOKIE)?.[1];

/** The board's sessions: a token of their own (`typ: board`, no use anywhere else), kept in a cookie limited to the board. */
class BoardSessions {
  constructor(
    private readonly auth: AuthService,
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly ttlMin: number,
  ) {}

  /** The administrator behind an access token (Authorization header) or a board session (cookie). */
  async admin(request: FastifyRequest, { bearerOnly }: { bearerOnly: boolean }): Promise<{ userId: string; role: string }> {
    const bearer = bearerOf(request);
    if (bearer) {
      const actor = await this.auth.authenticate(bearer);
      if (actor.passwordChangeRequired) throw passwordChangeRequired();
      return actor;
    }
    const session = bearerOnly ? undefined : cookieOf(request);
    if (!session) throw DomainError.unauthenticated();
    let claims: BoardClaims;
    try {
      claims = this.jwt.verify<BoardClaims>(session);
    } catch {
      throw DomainError.unauthenticated();
    }
    if (claims.typ !== 'board') throw DomainError.unauthenticated();
    // A deactivated account, or one no longer an administrator, loses the board at its next request.
    const user = await this.dataSource.getRepository(User).findOneBy({ id: claims.sub, active: true });
    if (!user) throw DomainError.unauthenticated();
    if (user.passwordChangeRequired) throw passwordChangeRequired();
    return { userId: user.id, role: user.role };
  }

  cookie(userId: string, secure: boolean): string {
    const token = this.jwt.sign({ sub: userId, typ: 'board' }, { expiresIn: this.ttlMin * 60 });
    return `${COOKIE}=${token}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${this.ttlMin * 60}${secure ? '; Secure' : ''}`;
  }
}

/**
 * Bull Board at /admin/queues, read-only, for administrators. A browser first opens a board session
 * with `POST /admin/queues/session` and its access token in `Authorization` (never in the URL): the
 * answer sets an HttpOnly, SameSite=Strict cookie limited to this path (`Secure` over TLS) holding
 * a board-only token, which the API refuses anywhere else. Tools may send the access token instead.
 */
export async function mountBullBoard(
  fastify: FastifyInstance,
  jobs: JobQueue,
  auth: AuthService,
  jwt: JwtService,
  dataSource: DataSource,
  accessTtlMin: number,
): Promise<void> {
  const board = new BoardAdapter();
  board.setBasePath(BOARD_PATH);
  // Read-only: queues are shared by every clinic of the installation, so no clinic's administrator
  // may pause, clean or delete jobs; failed work is retried by the sweeper, not by hand.
  createBullBoard({ queues: jobs.all().map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter: board });
  const sessions = new BoardSessions(auth, jwt, dataSource, accessTtlMin);
  const logger = new Logger('QueueBoard');
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const { body, headers } = toErrorBody(error, String(request.id), logger);
    return reply.status(body.statusCode).headers(headers).send(body);
  };
  const admin = async (request: FastifyRequest, bearerOnly: boolean) => {
    const who = await sessions.admin(request, { bearerOnly });
    if (who.role !== 'admin') throw DomainError.forbidden('The queue board is for administrators');
    return who;
  };
  await fastify.register(
    async (scope) => {
      scope.post('/session', async (request, reply) => {
        try {
          const who = await admin(request, true);
          return await reply
            .status(204)
            .header('Set-Cookie', sessions.cookie(who.userId, request.protocol === 'https'))
            .send();
        } catch (err) {
          return refuse(request, reply, err);
        }
      });
      scope.addHook('onRequest', async (request, reply) => {
        if (request.routeOptions.url === SESSION_ROUTE) return undefined;
        try {
          await admin(request, false);
        } catch (err) {
          return refuse(request, reply, err);
        }
        return undefined;
      });
      await scope.register(board.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
