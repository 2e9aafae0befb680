import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { VIGIL_RUNTIME, type VigilRuntime } from '#platform';
import type { AlertEvent } from './alert.entity.js';
import { ALERT_EVENTS_CHANNEL, AlertsService } from './alerts.service.js';

interface Subscriber {
  clinicId: string;
  lastId: string;
  send(events: AlertEvent[]): void;
  pumping: boolean;
  again: boolean;
}

/**
 * Fans alert events out to the stream clients of this process. Events are rows; PostgreSQL
 * LISTEN/NOTIFY only says "there is something new for clinic X", so an event written through any
 * API process reaches the clients of every other, and a client's cursor (the last event id) makes
 * replay and catch-up the same query.
 */
@Injectable()
export class AlertStreamService implements OnApplicationShutdown {
  private readonly logger = new Logger('AlertStream');
  private readonly subscribers = new Set<Subscriber>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(
    @Inject(VIGIL_RUNTIME) private readonly runtime: VigilRuntime,
    private readonly alerts: AlertsService,
  ) {}

  /** Streams the clinic's events after `afterId` (replayed first), then every new one. Returns the unsubscribe. */
  async subscribe(clinicId: string, afterId: string | null, send: (events: AlertEvent[]) => void): Promise<() => void> {
    await this.listen();
    const sub: Subscriber = {
      clinicId,
      lastId: afterId ?? (await this.alerts.latestEventId(clinicId)),
      send,
      pumping: false,
      again: false,
    };
    this.subscribers.add(sub);
    void this.pump(sub);
    return () => this.subscribers.delete(sub);
  }

  private async pump(sub: Subscriber): Promise<void> {
    if (sub.pumping) {
      sub.again = true;
      return;
    }
    sub.pumping = true;
    try {
      do {
        sub.again = false;
        for (;;) {
          const events = await this.alerts.eventsAfter(sub.clinicId, sub.lastId);
          if (!events.length || !this.subscribers.has(sub)) break;
          sub.lastId = events[events.length - 1].id;
          sub.send(events);
        }
      } while (sub.again);
    } catch (err) {
      this.logger.warn(`stream catch-up failed; retried on the next event: ${(err as Error).message}`);
    } finally {
      sub.pumping = false;
    }
  }

  private listen(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.runtime.databaseUrl });
      client.on('notification', (msg) => {
        let clinicId: string | undefined;
        try {
          clinicId = (JSON.parse(msg.payload ?? '{}') as { clinicId?: string }).clinicId;
        } catch {
          return;
        }
        for (const sub of this.subscribers) if (sub.clinicId === clinicId) void this.pump(sub);
      });
      client.on('error', (err) => {
        this.logger.warn(`listener lost (${err.message}); reconnecting`);
        this.client = null;
        void client.end().catch(() => undefined);
        setTimeout(() => void this.reconnect(), 1000).unref();
      });
      await client.connect();
      await client.query(`LISTEN ${ALERT_EVENTS_CHANNEL}`);
      this.client = client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** After a lost connection: listen again, then let every client catch up on what it missed. */
  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.listen();
      for (const sub of this.subscribers) void this.pump(sub);
    } catch {
      setTimeout(() => void this.reconnect(), 2000).unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
