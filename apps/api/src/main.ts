import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ENTITIES } from '#clinic/schema';
import { ConfigError, TenancyService, VigilLogger, loadConfig, startRuntime, type VigilRuntime } from '#platform';
import { MIGRATIONS } from '../../../migrations/index.js';
import { createApiApp } from './api-app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Vigil cannot start. ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = new VigilLogger(config);
  Logger.overrideLogger(logger);
  const boot = new Logger('Vigil');
  let runtime: VigilRuntime | undefined;
  try {
    runtime = await startRuntime(config, { entities: ENTITIES, migrations: MIGRATIONS }, (m) => boot.log(m));
    const app = await createApiApp(runtime);
    const first = await app.get(TenancyService).bootstrap();
    await app.listen({ port: config.PORT, host: config.HOST });
    const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
    boot.log(
      `API listening on ${base}/api/v1 (database: ${runtime.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; queues: ${runtime.queue.kind}; worker ${config.WORKER_EMBEDDED ? 'in this process' : 'separate'})`,
    );
    boot.log(`API docs: ${base}/docs  health: ${base}/health/ready  queue board: ${base}/admin/queues?token=<admin access token>`);
    if (first.generatedPassword) {
      boot.warn(
        `first start: log in as ${first.email} with password ${first.generatedPassword} (shown once; change it with PATCH /api/v1/users/:id)`,
      );
    } else {
      boot.log(
        `log in: POST ${base}/api/v1/auth/login {"email","password"}${first.created ? ` (administrator ${first.email} created from BOOTSTRAP_ADMIN_*)` : ''}`,
      );
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      // A terminal's Ctrl-C also reaches an embedded PostgreSQL, which closes its connections at once.
      process.on('uncaughtException', (err: Error & { code?: string }) => {
        if (['57P01', 'ECONNREFUSED', 'ECONNRESET'].includes(err.code ?? '') || /Connection terminated/.test(err.message)) return;
        boot.error(`while stopping: ${err.message}`, err.stack);
      });
      boot.log(`${signal}: finishing in-flight requests and jobs, then stopping`);
      const force = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 5000);
      force.unref();
      await app.close();
      await runtime?.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    boot.error(`start-up failed: ${(err as Error).message}`, (err as Error).stack);
    await runtime?.close().catch(() => undefined);
    process.exit(1);
  }
}

void main();
