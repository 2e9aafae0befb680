import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { User } from '../auth/user.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { PendingWork } from '../queue/pending-work.entity.js';
import { Clinic } from '../tenancy/clinic.entity.js';

/** The platform's tables; each clinical domain adds its own list. */
export const PLATFORM_ENTITIES = [Clinic, User, RefreshToken, AuditEvent, PendingWork, Notification, IdempotencyKey];

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Migrations = MixedList<Function | string>;

/** One definition of the connection, shared by the API, the worker, the CLI and the tests. */
export function dataSourceOptions(url: string, opts: { poolSize?: number; entities: Entities; migrations: Migrations }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    // Failed queries reach the error filter and its log; TypeORM itself reports migrations only.
    logging: ['migration'],
    extra: {
      max: opts.poolSize ?? 10,
      // Fail fast when PostgreSQL is unreachable instead of hanging the request.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      application_name: 'vigil',
    },
  };
}

export function createDataSource(url: string, opts: { poolSize?: number; entities: Entities; migrations: Migrations }): DataSource {
  return new DataSource(dataSourceOptions(url, opts));
}
