import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { VigilConfig } from './config/vigil-config.js';
import { createDataSource } from './database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { embeddedAppLogin } from './database/embedded-roles.js';
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

/** Applies pending migrations on a connection of their own, as the owner of the tables. */
async function migrateAsOwner(ownerUrl: string, schema: RuntimeSchema): Promise<string[]> {
  const owner = createDataSource(ownerUrl, { poolSize: 2, ...schema });
  await owner.initialize();
  try {
    return await applyMigrations(owner);
  } finally {
    await owner.destroy();
  }
}

interface Connection {
  /** The URL the process's pool (and the PostgreSQL queue backend) connects with. */
  url: string;
  /** Migrations already applied as the owner, before the pool started; undefined: apply them on the pool. */
  applied?: string[];
}

/**
 * Who connects as whom. With DATABASE_MIGRATION_URL, migrations run as that owner and the process
 * as DATABASE_URL's role. The embedded server does the same by itself: migrations as its superuser,
 * the process as `vigil_api` (a member of `vigil_app`), unless `asOwner` (the CLI's migration
 * commands). Otherwise everything runs as DATABASE_URL's role.
 */
async function connection(
  config: VigilConfig,
  schema: RuntimeSchema,
  embedded: { url: string; dir: string } | undefined,
  opts: { migrate?: boolean; asOwner?: boolean },
  log: (m: string) => void,
): Promise<Connection> {
  const migrate = opts.migrate !== false;
  if (embedded) {
    const applied = migrate ? await migrateAsOwner(embedded.url, schema) : [];
    if (opts.asOwner) return { url: embedded.url, applied };
    const appUrl = await embeddedAppLogin(embedded.url, embedded.dir, log);
    if (!appUrl) log('the role vigil_app does not exist yet (migrations not applied): running as the owner');
    return { url: appUrl ?? embedded.url, applied };
  }
  const url = config.DATABASE_URL as string;
  if (config.DATABASE_MIGRATION_URL && migrate) {
    return {
      url: opts.asOwner ? config.DATABASE_MIGRATION_URL : url,
      applied: await migrateAsOwner(config.DATABASE_MIGRATION_URL, schema),
    };
  }
  if (config.DATABASE_MIGRATION_URL && opts.asOwner) return { url: config.DATABASE_MIGRATION_URL, applied: [] };
  return { url, applied: migrate ? undefined : [] };
}

/**
 * Starts what Vigil needs before Nest starts: the embedded PostgreSQL when DATABASE_URL is unset,
 * pending migrations (under an advisory lock, as the owner of the tables when one is known), the
 * connection pool, the queue backend choice.
 */
export async function startRuntime(
  config: VigilConfig,
  schema: RuntimeSchema,
  log: (m: string) => void = () => undefined,
  opts: { migrate?: boolean; asOwner?: boolean } = {},
): Promise<VigilRuntime> {
  let embedded: EmbeddedDatabase | undefined;
  let dataSource: DataSource | undefined;
  try {
    let embeddedAt: { url: string; dir: string } | undefined;
    if (!config.DATABASE_URL) {
      const dir = resolve(join(config.VIGIL_DATA_DIR, 'pg'));
      log(`starting the embedded PostgreSQL (data in ${dir})`);
      embedded = await startEmbeddedPostgres(dir);
      embeddedAt = { url: embedded.url, dir };
    }
    const conn = await connection(config, schema, embeddedAt, opts, log);
    const databaseUrl = conn.url;
    dataSource = createDataSource(databaseUrl, { poolSize: config.DATABASE_POOL_SIZE, ...schema });
    await dataSource.initialize();
    const appliedMigrations = conn.applied ?? (await applyMigrations(dataSource));
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
        if (dataSource?.isInitialized) await dataSource.destroy();
        if (embedded) await embedded.stop();
      },
    };
  } catch (err) {
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    if (embedded) await embedded.stop().catch(() => undefined);
    throw err;
  }
}
