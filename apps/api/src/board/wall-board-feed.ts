import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { WALL_BOARD_CHANNEL } from '#clinic';
import { VIGIL_RUNTIME, type VigilRuntime } from '#platform';

type Listener = () => void;

/**
 * This process's ear for "clinic X's floor changed" (readings stored, a session moved), sent by
 * whichever process made the change: one PostgreSQL connection outside the pool, opened when the
 * first board stream subscribes, LISTENing on the wall board's channel. A lost connection is
 * re-opened; every subscriber is then told its clinic may have changed, since notifications sent
 * meanwhile are gone (the board reads the floor again; nothing is kept in memory).
 */
@Injectable()
export class WallBoardFeed implements OnApplicationShutdown {
  private readonly logger = new Logger('WallBoard');
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;

  constructor(@Inject(VIGIL_RUNTIME) private readonly runtime: VigilRuntime) {}

  /** Calls `onChange` on each change in `clinicId` from now on; resolves once listening. Returns the unsubscribe. */
  async subscribe(clinicId: string, onChange: Listener): Promise<() => void> {
    const set = this.listeners.get(clinicId) ?? new Set<Listener>();
    set.add(onChange);
    this.listeners.set(clinicId, set);
    const unsubscribe = () => {
      set.delete(onChange);
      if (set.size === 0 && this.listeners.get(clinicId) === set) this.listeners.delete(clinicId);
    };
    try {
      await this.connection();
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  private tell(clinicId: string): void {
    for (const listener of this.listeners.get(clinicId) ?? []) listener();
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.closed) return Promise.reject(new Error('the wall board feed is shut down'));
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.runtime.databaseUrl, application_name: 'vigil-wall-board' });
    client.on('notification', (msg) => {
      try {
        const { clinicId } = JSON.parse(msg.payload ?? '{}') as { clinicId?: unknown };
        if (typeof clinicId === 'string') this.tell(clinicId);
      } catch {
        // not ours
      }
    });
    client.on('error', (err) => {
      this.logger.warn(`wall board feed connection lost (${err.message}); reconnecting`);
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.reconnect(), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WALL_BOARD_CHANNEL}`);
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      void client.end().catch(() => undefined);
      throw new Error('the wall board feed is shut down');
    }
    this.client = client;
    return client;
  }

  /** Listening again after a lost connection: every board reads its floor again (what was sent meanwhile is lost). */
  private async reconnect(): Promise<void> {
    if (this.closed || this.client || this.listeners.size === 0) return;
    try {
      await this.connection();
      for (const clinicId of [...this.listeners.keys()]) this.tell(clinicId);
    } catch {
      setTimeout(() => void this.reconnect(), 2000).unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
