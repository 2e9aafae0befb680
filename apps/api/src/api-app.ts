import { randomUUID } from 'node:crypto';
import { Logger, RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import {
  AuthService,
  ErrorCode,
  JobQueue,
  requestContext,
  trustProxy,
  VigilLogger,
  type Clock,
  type RequestContext,
  type VigilConfig,
  type VigilRuntime,
} from '#platform';
import { AppModule } from './app.module.js';
import { mountBoardPage } from './board/board-page.js';
import { clientErrorHandler } from './http/client-error.js';
import { toErrorBody } from './http/error.filter.js';
import { jsonBodyParser } from './http/json-body.js';
import { validationPipe } from './http/validation.js';
import { mountBullBoard } from './operations/bull-board.js';
import { hardenedServer } from './operations/http-server.js';
import { addSecurityHeaders } from './operations/security-headers.js';
import { Metrics } from './operations/metrics.js';
import { buildOpenApi, mountOpenApi } from './openapi.js';

export const API_PREFIX = 'api/v1';
const BODY_LIMIT = 2 * 1024 * 1024;
/** The caller's X-Request-Id as kept in the trail: its claim, printable ASCII, at most 128 characters. */
const claimedRequestId = (sent: string | string[] | undefined): string | undefined =>
  typeof sent === 'string' && sent.length > 0 ? sent.replace(/[^\x20-\x7e]/g, '?').slice(0, 128) : undefined;

declare module 'fastify' {
  interface FastifyRequest {
    vigil?: RequestContext;
    startedAt?: bigint;
  }
}

/** Builds the API (not yet listening): Fastify, security headers, validation, errors, guard, request context, docs, board. */
export async function createApiApp(runtime: VigilRuntime, opts: { worker?: boolean; clock?: Clock } = {}): Promise<NestFastifyApplication> {
  const config = runtime.config;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(runtime, { worker: opts.worker ?? config.WORKER_EMBEDDED, clock: opts.clock }),
    fastifyAdapter(config),
    {
      logger: new VigilLogger(config),
      abortOnError: false,
    },
  );
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The FHIR API has its own base, /fhir/R4 (fhir.controller.ts).
      { path: 'fhir/R4', method: RequestMethod.ALL },
      { path: 'fhir/R4/{*rest}', method: RequestMethod.ALL },
    ],
  });
  app.useGlobalPipes(validationPipe());
  await addSecurityHeaders(app);

  const fastify = app.getHttpAdapter().getInstance();
  // JSON bodies: Fastify's parser and limits, and a 400 for a key an object names twice.
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, jsonBodyParser(fastify));
  // FHIR clients send their bodies as application/fhir+json: parsed the same way (the FHIR API answers them itself).
  app.useBodyParser('application/fhir+json', { bodyLimit: BODY_LIMIT }, jsonBodyParser(fastify));
  addRequestHooks(fastify, app.get(Metrics), config);
  mountOpenApi(app as INestApplication, buildOpenApi(app as INestApplication));
  await mountBullBoard(
    fastify,
    app.get(JobQueue),
    app.get(AuthService),
    app.get(JwtService),
    app.get(DataSource),
    config.ACCESS_TOKEN_TTL_MIN,
  );
  await mountBoardPage(fastify);
  await app.init();
  await app.get(JobQueue).ready();
  await fastify.ready();
  return app;
}

/**
 * TRUST_PROXY as Fastify takes it: the proxies' addresses, or a hop count (the connection and the
 * next `hops - 1` X-Forwarded-For entries from the right are proxies), never `true`: the left-most
 * entry is whatever the client wrote.
 */
function proxyTrust(config: VigilConfig): boolean | string[] | ((address: string, hop: number) => boolean) {
  const trusted = trustProxy(config.TRUST_PROXY) ?? false;
  return typeof trusted === 'number' ? (_address, hop) => hop < trusted : trusted;
}

/**
 * Fastify with Vigil's request ids (its own, always: a caller's X-Request-Id is kept only as its
 * claim) and body limit, and its router's refusals in api.md's error shape.
 */
function fastifyAdapter(config: VigilConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: proxyTrust(config),
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    serverFactory: hardenedServer(config),
    bodyLimit: BODY_LIMIT,
    clientErrorHandler,
    // While it closes, Vigil answers a request on a connection still open itself (below), in its own error shape.
    return503OnClosing: false,
    // What the router refuses before any hook or filter runs (a path segment over 100 characters, a malformed
    // percent-encoding) is answered in api.md's error shape with its request id too, not Fastify's own.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { body, headers } = toErrorBody(error, String(request.id), new Logger('HTTP'));
      void reply
        .status(body.statusCode)
        .headers({ ...headers, 'X-Request-Id': String(request.id) })
        .send(body);
    },
  });
}

/** The request context of each request, its X-Request-Id, its duration in the metrics and (when asked) its log line. */
function addRequestHooks(fastify: FastifyInstance, metrics: Metrics, config: VigilConfig): void {
  const log = new Logger('HTTP');
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const claimed = claimedRequestId(request.headers['x-request-id']);
    request.vigil = { requestId: String(request.id), ip: request.ip, interactive: true, ...(claimed && { claimedRequestId: claimed }) };
    request.startedAt = process.hrtime.bigint();
    void reply.header('X-Request-Id', String(request.id));
    if (!closing) return done();
    const body = {
      statusCode: 503,
      code: ErrorCode.ShuttingDown,
      message: 'This server is stopping; send the request again',
      details: [],
      requestId: String(request.id),
    };
    void reply.status(503).headers({ 'Retry-After': '1', Connection: 'close' }).send(body);
  });
  // The body is parsed between onRequest and preHandler; enter the context where the handler runs.
  fastify.addHook('preHandler', (request, _reply, done) => {
    requestContext.run(request.vigil ?? { requestId: String(request.id), interactive: true }, done);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply, done) => {
    const seconds = Number(process.hrtime.bigint() - (request.startedAt ?? process.hrtime.bigint())) / 1e9;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, seconds);
    if (config.LOG_REQUESTS) {
      requestContext.run(request.vigil ?? { requestId: String(request.id) }, () =>
        log.log(`${request.method} ${route} ${reply.statusCode} ${(seconds * 1000).toFixed(1)}ms`),
      );
    }
    done();
  });
}
