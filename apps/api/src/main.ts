import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ENTITIES } from '#clinic/schema';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TenancyService, VigilLogger, loadConfigOrExit, onStopSignal, startRuntime, type VigilRuntime } from '#platform';
import { MIGRATIONS } from '../../../migrations/index.js';
import { createApiApp } from './api-app.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit('Vigil');
  const logger = new VigilLogger(config);
  Logger.overrideLogger(logger);
  const boot = new Logger('Vigil');
  let runtime: VigilRuntime | undefined;
  let app: NestFastifyApplication | undefined;
  onStopSignal(boot, config.SHUTDOWN_TIMEOUT_MS + 5000, async () => {
    try {
      await app?.close();
    } finally {
      await runtime?.close();
    }
  });
  try {
    runtime = await startRuntime(config, { entities: ENTITIES, migrations: MIGRATIONS }, (m) => boot.log(m));
    app = await createApiApp(runtime);
    const first = await app.get(TenancyService).bootstrap();
    await app.listen({ port: config.PORT, host: config.HOST });
    const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
    boot.log(
      `API listening on ${base}/api/v1 (database: ${runtime.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; queues: ${runtime.queue.kind}; worker ${config.WORKER_EMBEDDED ? 'in this process' : 'separate'})`,
    );
    boot.log(`API docs: ${base}/docs  health: ${base}/health/ready  queue board: ${base}/admin/queues?token=<admin access token>`);
    boot.log(`wall board for the infusion floor: ${base}/board/ (nurses and anesthesiologists sign in there)`);
    if (first.generatedPassword) {
      boot.warn(
        `first start: log in as ${first.email} with password ${first.generatedPassword} (shown once; change it with PATCH /api/v1/users/:id)`,
      );
    } else {
      boot.log(
        `log in: POST ${base}/api/v1/auth/login {"email","password"}${first.created ? ` (administrator ${first.email} created from BOOTSTRAP_ADMIN_*)` : ''}`,
      );
    }
  } catch (err) {
    boot.error(`start-up failed: ${(err as Error).message}`, (err as Error).stack);
    await app?.close().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
    process.exit(1);
  }
}

void main();
