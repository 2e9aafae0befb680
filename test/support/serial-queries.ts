import pg from 'pg';
import { ambientTransaction } from '../../libs/platform/src/database/transaction.js';

/** A query sent inside a unit of work while its connection was still executing (or had queued) another. */
export interface ConcurrentQuery {
  sql: string;
  stack: string;
}

/** What pg's Client keeps of the query it runs and the ones waiting behind it. */
interface PgClientState {
  _activeQuery?: unknown;
  _queryQueue?: unknown[];
  pipeline?: boolean;
}

type Query = (this: PgClientState, ...args: unknown[]) => unknown;

// On the global object: the setup file and a test may load this module through different module paths.
const KEY = Symbol.for('vigil.concurrentQueries');
const store = ((globalThis as Record<symbol, ConcurrentQuery[] | undefined>)[KEY] ??= []);
const WATCHED = Symbol.for('vigil.serialQueriesWatched');

function sqlOf(config: unknown): string {
  const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text.replace(/\s+/g, ' ').slice(0, 120) : '(a query object)';
}

function callerStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error('concurrent query').stack ?? '';
  Error.stackTraceLimit = limit;
  return stack.split('\n').slice(1).join('\n');
}

/**
 * Watches pg's Client.query (every client, Vigil's DeadlineClient included): a query sent inside a
 * unit of work (TransactionRunner.run) while the connection still runs or queues another one is
 * recorded. pg queues it today, warns that pg@9 will throw, and the per-query deadline counts the
 * wait in that queue against PostgreSQL. Outside a unit of work nothing is recorded: a test closing
 * the app while fire-and-forget writes are in flight is not a caller running queries side by side.
 */
export function watchSerialQueries(): void {
  const proto = pg.Client.prototype as unknown as { query: Query; [WATCHED]?: boolean };
  if (proto[WATCHED]) return;
  proto[WATCHED] = true;
  const query = proto.query;
  proto.query = function (this: PgClientState, ...args: unknown[]) {
    const busy = !this.pipeline && (this._activeQuery != null || (this._queryQueue?.length ?? 0) > 0);
    if (busy && ambientTransaction()) store.push({ sql: sqlOf(args[0]), stack: callerStack() });
    return query.apply(this, args);
  };
}

/** The concurrent queries recorded since the last call (and forgets them). */
export function takeConcurrentQueries(): ConcurrentQuery[] {
  return store.splice(0, store.length);
}

export function describeConcurrentQueries(found: ConcurrentQuery[]): string {
  const each = found.slice(0, 3).map((q) => `  ${q.sql}\n${q.stack}`);
  const more = found.length > 3 ? `\n  … and ${found.length - 3} more` : '';
  return (
    'Queries ran side by side on one transaction connection (Promise.all over tx.manager?): pg queues them, ' +
    `pg@9 refuses them; await them one after another.\n${each.join('\n')}${more}`
  );
}
