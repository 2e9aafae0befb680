import 'reflect-metadata';
import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ENTITIES } from '#clinic/schema';
import { ConfigError, VigilLogger, loadConfig, startRuntime, type VigilRuntime } from '#platform';
import { MIGRATIONS } from '../../../migrations/index.js';
import { WorkerModule } from './worker.module.js';

/** Stand-alone worker (WORKER_EMBEDDED=false on the API): processors, sweeper, GET /health. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Vigil worker cannot start. ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  if (!config.DATABASE_URL) {
    process.stderr.write('The stand-alone worker needs DATABASE_URL (the embedded database belongs to `npm start`).\n');
    process.exit(78);
  }
  Logger.overrideLogger(new VigilLogger(config));
  const log = new Logger('Worker');
  let runtime: VigilRuntime | undefined;
  try {
    runtime = await startRuntime(config, { entities: ENTITIES, migrations: MIGRATIONS }, (m) => log.log(m));
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(runtime), { logger: new VigilLogger(config) });
    const dataSource = app.get(DataSource);
    const health = createServer((req, res) => {
      if (req.url !== '/health') {
        res.writeHead(404).end();
        return;
      }
      dataSource
        .query('SELECT 1')
        .then(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}'))
        .catch(() => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"status":"unavailable"}'));
    });
    health.listen(config.WORKER_HEALTH_PORT, config.HOST);
    log.log(`worker running (queues: ${runtime.queue.kind}); health on :${config.WORKER_HEALTH_PORT}/health`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      // A terminal's Ctrl-C also reaches an embedded PostgreSQL, which closes its connections at once.
      process.on('uncaughtException', (err: Error & { code?: string }) => {
        if (['57P01', 'ECONNREFUSED', 'ECONNRESET'].includes(err.code ?? '') || /Connection terminated/.test(err.message)) return;
        log.error(`while stopping: ${err.message}`, err.stack);
      });
      log.log(`${signal}: finishing active jobs, then stopping`);
      setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 5000).unref();
      health.close();
      await app.close();
      await runtime?.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    log.error(`start-up failed: ${(err as Error).message}`, (err as Error).stack);
    await runtime?.close().catch(() => undefined);
    process.exit(1);
  }
}

void main();
