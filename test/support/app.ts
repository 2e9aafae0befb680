import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { ENTITIES } from '../../libs/clinic/src/schema/index.js';
import { loadConfig, startRuntime, type VigilRuntime } from '../../libs/platform/src/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createApiApp } from '../../apps/api/src/api-app.js';
import { testEnv } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  runtime: VigilRuntime;
  http: TestAgent;
  close(): Promise<void>;
}

/** The test configuration: this run's database, quiet logs, generous login limits, own queue prefix. */
export function testConfigEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: testEnv.databaseUrl(),
    JWT_SECRET: 'vigil-test-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'error',
    LOG_REQUESTS: 'false',
    LOGIN_RATE_LIMIT_PER_MIN: '100000',
    QUEUE_PREFIX: `t-${randomBytes(4).toString('hex')}`,
    DATABASE_POOL_SIZE: '5',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...overrides,
  };
}

/** The whole API, as `npm start` builds it, on this run's database (HTTP through supertest). */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig(testConfigEnv(overrides));
  const runtime = await startRuntime(config, { entities: ENTITIES, migrations: MIGRATIONS });
  const app = await createApiApp(runtime);
  return {
    app,
    runtime,
    http: request(app.getHttpServer()),
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
