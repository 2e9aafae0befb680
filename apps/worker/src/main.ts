import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ENTITIES } from '#clinic/schema';
import { VigilLogger, loadConfigOrExit, onStopSignal, startRuntime, type VigilRuntime } from '#platform';
import { MIGRATIONS } from '../../../migrations/index.js';
import { WorkerModule } from './worker.module.js';

/** Stand-alone worker (WORKER_EMBEDDED=false on the API): processors, sweeper, GET /health. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('Vigil worker');
  if (!config.DATABASE_URL) {
    process.stderr.write('The stand-alone worker needs DATABASE_URL (the embedded database belongs to `npm start`).\n');
    process.exit(78);
  }
  Logger.overrideLogger(new VigilLogger(config));
  const log = new Logger('Worker');
  let runtime: VigilRuntime | undefined;
  let app: INestApplicationContext | undefined;
  let health: Server | undefined;
  onStopSignal(log, config.SHUTDOWN_TIMEOUT_MS + 5000, async () => {
    health?.close();
    try {
      await app?.close();
    } finally {
      await runtime?.close();
    }
  });
  try {
    runtime = await startRuntime(config, { entities: ENTITIES, migrations: MIGRATIONS }, (m) => log.log(m));
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(runtime), { logger: new VigilLogger(config) });
    const dataSource = app.get(DataSource);
    health = createServer((req, res) => {
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
  } catch (err) {
    log.error(`start-up failed: ${(err as Error).message}`, (err as Error).stack);
    await app?.close().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
    process.exit(1);
  }
}

void main();
