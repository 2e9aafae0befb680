import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers on every answer (the API, /docs, the queue board): helmet's defaults with a
 * Content-Security-Policy that lets /docs (Swagger UI: its own scripts, inline styles, data: images)
 * and the board (its own scripts and styles) work, and nothing from elsewhere.
 */
export async function addSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // The docs and the board load their own assets only; cross-origin isolation would add nothing but breakage.
    crossOriginEmbedderPolicy: false,
  });
}
