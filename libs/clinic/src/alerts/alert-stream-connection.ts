import type { Logger } from '@nestjs/common';
import pg from 'pg';
import type { Role } from '#platform';
import type { AlertEvent } from './alert.entity.js';
import { ALERT_EVENTS_CHANNEL } from './alerts.service.js';

/** What a stream sends of an event row. */
export type StreamEvent = Pick<AlertEvent, 'id' | 'type' | 'payload'>;

/** A stream owner's account as it is now; `credential` is a digest of the password hash, never the hash. */
export interface OwnerState {
  id: string;
  role: Role;
  active: boolean;
  credential: string;
}

/** Rows one catch-up or fan-out read returns at most; a longer backlog is read page by page. */
export const STREAM_PAGE = 500;
/** A stream read PostgreSQL does not answer in this time is given up (and retried on the next event). */
const STREAM_STATEMENT_TIMEOUT_MS = 5000;

/**
 * The one PostgreSQL connection the alert streams of this process use, outside the pool: it
 * LISTENs for "something new in clinic X" and runs every stream read (fan-out, catch-up, owner
 * checks) one after the other. However many streams are open, they never take a pooled
 * connection that a write needs.
 */
export class AlertStreamConnection {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly onNotify: (clinicId: string) => void,
    private readonly onReconnect: () => void,
  ) {}

  async eventsAfter(clinicId: string, afterId: string): Promise<StreamEvent[]> {
    return this.query<StreamEvent>(
      'SELECT e.id::text AS id, e.type, e.payload FROM alert_events e WHERE e.clinic_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3',
      [clinicId, afterId, STREAM_PAGE],
    );
  }

  async latestEventId(clinicId: string): Promise<string> {
    const rows = await this.query<{ max: string }>('SELECT COALESCE(MAX(id), 0)::text AS max FROM alert_events WHERE clinic_id = $1', [
      clinicId,
    ]);
    return rows[0]?.max ?? '0';
  }

  async owners(userIds: string[]): Promise<OwnerState[]> {
    return this.query<OwnerState>('SELECT id, role, active, md5(password_hash) AS credential FROM users WHERE id = ANY($1::uuid[])', [
      userIds,
    ]);
  }

  /** Connects (and LISTENs) if not yet connected. */
  async ready(): Promise<void> {
    await this.connection();
  }

  /** Queries run one after the other, in the order asked (a client runs one at a time). */
  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    const run = this.queue.then(async () => {
      const client = await this.connection();
      const result = await client.query(sql, params);
      return result.rows as T[];
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.closed) return Promise.reject(new Error('alert streams are shut down'));
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'vigil-alert-streams',
      statement_timeout: STREAM_STATEMENT_TIMEOUT_MS,
    });
    client.on('notification', (msg) => {
      let clinicId: unknown;
      try {
        clinicId = (JSON.parse(msg.payload ?? '{}') as { clinicId?: unknown }).clinicId;
      } catch {
        return;
      }
      if (typeof clinicId === 'string') this.onNotify(clinicId);
    });
    client.on('error', (err) => {
      this.logger.warn(`alert stream connection lost (${err.message}); reconnecting`);
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.reconnect(), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ALERT_EVENTS_CHANNEL}`);
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      void client.end().catch(() => undefined);
      throw new Error('alert streams are shut down');
    }
    this.client = client;
    return client;
  }

  /** After a lost connection: listen again, then let every stream catch up on what it missed. */
  private async reconnect(): Promise<void> {
    if (this.closed || this.client) return;
    try {
      await this.connection();
      this.onReconnect();
    } catch {
      setTimeout(() => void this.reconnect(), 2000).unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
