import pg from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { requestContext } from '../context/request-context.js';
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

/**
 * How long a request waits for a connection (a new one, or a free slot of the pool) and, once it
 * has one, for PostgreSQL to answer one query. Together they stay under the 5 s within which an
 * HTTP request answers 503 DATABASE_UNAVAILABLE when PostgreSQL is away (restarting, or hung: a
 * frozen host keeps its connections open and never answers, which no connect timeout catches).
 */
export const CONNECT_TIMEOUT_MS = 3000;
export const INTERACTIVE_QUERY_DEADLINE_MS = 2000;

/** A query given up because PostgreSQL did not answer; its connection is closed (the server rolls the transaction back). */
export class DatabaseNoAnswerError extends Error {
  readonly code = 'VIGIL_DB_NO_ANSWER';
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * The pool's client: while someone waits for the answer (an HTTP request), a query PostgreSQL has
 * not answered within INTERACTIVE_QUERY_DEADLINE_MS closes its connection, which fails that query
 * and every later one of its transaction at once. Jobs, sweeps and migrations have no deadline:
 * nobody waits on them, and a long migration is legitimate.
 *
 * The deadline judges PostgreSQL, not this process: when the timer fires after the event loop was
 * busy (a burst of stream writes), the answer may already sit unread in the socket. Timers run
 * before I/O in each turn of the loop, so the timer only arms a check for after this turn's I/O
 * (`setImmediate`); an answer read in between settles the query and nothing is given up.
 */
class DeadlineClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as QueryFn;
    (this as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
      if (!requestContext.current()?.interactive) return query(...args);
      let settled = false;
      const timer = setTimeout(() => setImmediate(() => settled || this.giveUp()), INTERACTIVE_QUERY_DEADLINE_MS);
      const settle = () => {
        settled = true;
        clearTimeout(timer);
      };
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (...result: unknown[]) => {
          settle();
          (callback as QueryFn)(...result);
        };
        return query(...args);
      }
      const answer = query(...args);
      if (answer instanceof Promise) answer.then(settle, settle);
      else settle();
      return answer;
    };
  }

  private giveUp(): void {
    const stream = (this as unknown as { connection?: { stream?: { destroy(err?: Error): void } } }).connection?.stream;
    stream?.destroy(new DatabaseNoAnswerError(`PostgreSQL did not answer within ${INTERACTIVE_QUERY_DEADLINE_MS} ms`));
  }
}

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
      // Fail fast when PostgreSQL is unreachable or hung instead of hanging the request.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      Client: DeadlineClient,
      idleTimeoutMillis: 30000,
      application_name: 'vigil',
    },
  };
}

export function createDataSource(url: string, opts: { poolSize?: number; entities: Entities; migrations: Migrations }): DataSource {
  return new DataSource(dataSourceOptions(url, opts));
}
