import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { VigilConfig } from './config/vigil-config.js';
import { createDataSource } from './database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { applyMigrations } from './database/migrate.js';
import { selectQueueBackend, type QueueBackend } from './queue/queue-backend.js';

export const VIGIL_RUNTIME = Symbol('VIGIL_RUNTIME');

/** What a Vigil process stands on: validated config, a migrated database, a queue backend. */
export interface VigilRuntime {
  config: VigilConfig;
  databaseUrl: string;
  dataSource: DataSource;
  queue: QueueBackend;
  jwtSecret: string;
  embedded: boolean;
  appliedMigrations: string[];
  close(): Promise<void>;
}

export interface RuntimeSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

async function jwtSecret(config: VigilConfig, log: (m: string) => void): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.DATABASE_URL)
    log('JWT_SECRET is unset: using a secret kept on this machine; set JWT_SECRET when more than one API process runs');
  const file = resolve(config.VIGIL_DATA_DIR, 'jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(resolve(config.VIGIL_DATA_DIR), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/**
 * Applies pending migrations: as the owner of the tables (DATABASE_MIGRATION_URL) on a connection
 * of their own when it is set, so the application's role never needs to own (and so could never
 * alter) them; else on the application's connection.
 */
async function migrate(config: VigilConfig, dataSource: DataSource, schema: RuntimeSchema): Promise<string[]> {
  if (!config.DATABASE_MIGRATION_URL || !config.DATABASE_URL) return applyMigrations(dataSource);
  const owner = createDataSource(config.DATABASE_MIGRATION_URL, { poolSize: 2, ...schema });
  await owner.initialize();
  try {
    return await applyMigrations(owner);
  } finally {
    await owner.destroy();
  }
}

/**
 * Starts what Vigil needs before Nest starts: the embedded PostgreSQL when DATABASE_URL is unset,
 * the connection pool, pending migrations (under an advisory lock), the queue backend choice.
 */
export async function startRuntime(
  config: VigilConfig,
  schema: RuntimeSchema,
  log: (m: string) => void = () => undefined,
  opts: { migrate?: boolean } = {},
): Promise<VigilRuntime> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const dir = join(config.VIGIL_DATA_DIR, 'pg');
    log(`starting the embedded PostgreSQL (data in ${resolve(dir)})`);
    embedded = await startEmbeddedPostgres(dir);
    databaseUrl = embedded.url;
  }
  const dataSource = createDataSource(databaseUrl, { poolSize: config.DATABASE_POOL_SIZE, ...schema });
  try {
    await dataSource.initialize();
    const appliedMigrations = opts.migrate === false ? [] : await migrate(config, dataSource, schema);
    if (appliedMigrations.length) log(`applied migrations: ${appliedMigrations.join(', ')}`);
    const queue = selectQueueBackend(config, databaseUrl);
    const secret = await jwtSecret(config, log);
    return {
      config,
      databaseUrl,
      dataSource,
      queue,
      jwtSecret: secret,
      embedded: Boolean(embedded),
      appliedMigrations,
      async close() {
        if (dataSource.isInitialized) await dataSource.destroy();
        if (embedded) await embedded.stop();
      },
    };
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    if (embedded) await embedded.stop().catch(() => undefined);
    throw err;
  }
}
