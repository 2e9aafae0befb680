import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const BOARD_PAGE = '/board';

/**
 * The page's own policy, stricter than the API's: its scripts, styles and images from this origin
 * only, no inline script or style at all, its requests to this origin only, never in a frame.
 */
export const BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Where the built page is (`npm run build` writes it to dist/board): beside the compiled API
 * (dist/apps/api/src/board → dist/board), or under the repository's dist/ when the API runs from
 * its sources (the tests). Null when it was not built.
 */
export function boardPageDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../../board'), resolve(here, '../../../../dist/board')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the wall board page at /board/ from the same process and origin as the API (its calls and
 * stream need no CORS). Files are revalidated on every load (no-cache with ETag), so an upgrade
 * reaches every wall screen at its next reload. Without a build, /board answers 404 saying so.
 */
export async function mountBoardPage(fastify: FastifyInstance, root: string | null = boardPageDir()): Promise<void> {
  await fastify.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('Content-Security-Policy', BOARD_CSP).header('Cache-Control', 'no-cache');
      return payload;
    });
    if (!root) {
      scope.get(BOARD_PAGE, (request, reply) =>
        reply.status(404).send({
          statusCode: 404,
          code: 'NOT_FOUND',
          message: 'The board page is not built: run npm run build (npm start does)',
          details: [],
          requestId: String(request.id),
        }),
      );
      return;
    }
    scope.get(BOARD_PAGE, (_request, reply) => reply.redirect(`${BOARD_PAGE}/`));
    await scope.register(fastifyStatic, {
      root,
      prefix: `${BOARD_PAGE}/`,
      decorateReply: false,
      cacheControl: false,
    });
  });
}
