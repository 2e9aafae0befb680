import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, ErrorCode, VIGIL_RUNTIME, type VigilRuntime } from '#platform';
import { AlertStreamConnection, STREAM_PAGE, type StreamEvent } from './alert-stream-connection.js';
import { streamEndReason, type OwnerBaseline, type StreamEndReason } from './alert-stream-owner.js';

/** Who opened a stream: the signed-in user, their clinic, and when their access token expires (ms since the epoch). */
export interface StreamOwner {
  userId: string;
  clinicId: string;
  tokenExpiresAt: number;
}

/** Where a stream's events go, and how it is ended. */
export interface StreamSink {
  send(events: StreamEvent[]): void;
  end(reason: StreamEndReason): void;
}

/** A stream admitted under the caps; released when its client hangs up or it is ended. */
export class StreamSlot {
  baseline: OwnerBaseline | null = null;
  sink: StreamSink | null = null;
  lastId = 0n;
  /** Caught up (replayed what it asked for): from now on it is sent what its clinic's feed reads. */
  live = false;
  released = false;

  constructor(
    readonly owner: StreamOwner,
    private readonly onRelease: (slot: StreamSlot) => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
  }
}

/** The streams of one clinic: its new events are read once per notification and sent to each of them. */
class ClinicFeed {
  readonly slots = new Set<StreamSlot>();
  head = 0n;
  ready: Promise<void> = Promise.resolve();
  pumping = false;
  again = false;

  constructor(readonly clinicId: string) {}
}

/** How often the owners of open streams are checked (one query for all of them) and expired tokens ended. */
const OWNER_CHECK_MS = 1000;

/**
 * Fans alert events out to the stream clients of this process. Events are rows; PostgreSQL
 * LISTEN/NOTIFY only says "there is something new for clinic X", so an event written through any
 * API process reaches the clients of every other, and a client's cursor (the last event id) makes
 * replay and catch-up the same query. Each clinic's new events are read once per notification and
 * sent to all its streams; every read runs on the streams' own connection, never the pool.
 * Streams are capped per user and per process, and a stream ends when its token expires or its
 * owner's account changes (deactivated, another role, a new password), checked every second.
 */
@Injectable()
export class AlertStreamService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AlertStream');
  private readonly slots = new Set<StreamSlot>();
  private readonly perUser = new Map<string, number>();
  private readonly feeds = new Map<string, ClinicFeed>();
  private readonly connection: AlertStreamConnection;
  private readonly maxPerUser: number;
  private readonly maxPerProcess: number;
  private ownerCheck: NodeJS.Timeout | null = null;
  private checking = false;
  private closed = false;

  constructor(@Inject(VIGIL_RUNTIME) runtime: VigilRuntime) {
    this.maxPerUser = runtime.config.ALERT_STREAMS_PER_USER;
    this.maxPerProcess = runtime.config.ALERT_STREAMS_PER_PROCESS;
    this.connection = new AlertStreamConnection(
      runtime.databaseUrl,
      this.logger,
      (clinicId) => {
        const feed = this.feeds.get(clinicId);
        if (feed) void this.pump(feed);
      },
      () => {
        for (const feed of this.feeds.values()) void this.pump(feed);
      },
    );
  }

  /** Admits one more stream of `owner` under the caps, or refuses it (429 TOO_MANY_STREAMS). */
  reserve(owner: StreamOwner): StreamSlot {
    const mine = this.perUser.get(owner.userId) ?? 0;
    if (mine >= this.maxPerUser)
      throw tooManyStreams(`You have ${this.maxPerUser} alert streams open already; close one before opening another`);
    if (this.closed || this.slots.size >= this.maxPerProcess)
      throw tooManyStreams(`This server has ${this.maxPerProcess} alert streams open; try again shortly or another server`);
    const slot = new StreamSlot(owner, (s) => this.forget(s));
    this.slots.add(slot);
    this.perUser.set(owner.userId, mine + 1);
    this.ownerCheck ??= setInterval(() => void this.checkOwners(), OWNER_CHECK_MS).unref();
    return slot;
  }

  /** Starts the stream: replays the clinic's events after `afterId` (if given), then sends every new one. */
  async attach(slot: StreamSlot, afterId: string | null, sink: StreamSink): Promise<void> {
    slot.sink = sink;
    try {
      const [state] = await this.connection.owners([slot.owner.userId]);
      if (slot.released) return;
      const baseline: OwnerBaseline | null = state
        ? { role: state.role, credential: state.credential, tokenExpiresAt: slot.owner.tokenExpiresAt }
        : null;
      const refused = baseline ? streamEndReason(baseline, state, Date.now()) : 'account_changed';
      if (refused || !baseline) return this.end(slot, refused ?? 'account_changed');
      slot.baseline = baseline;
      const feed = await this.feed(slot.owner.clinicId);
      if (slot.released) return;
      feed.slots.add(slot);
      slot.lastId = afterId === null ? feed.head : BigInt(afterId);
      if (afterId !== null) await this.catchUp(slot);
      slot.live = true;
    } catch (err) {
      this.logger.warn(`alert stream could not start: ${(err as Error).message}`);
      this.end(slot, 'unavailable');
    }
  }

  /** Replays a reconnecting client's backlog page by page; the last short page makes it live in the same turn. */
  private async catchUp(slot: StreamSlot): Promise<void> {
    for (;;) {
      const events = await this.connection.eventsAfter(slot.owner.clinicId, slot.lastId.toString());
      if (slot.released) return;
      this.deliver(slot, events);
      if (events.length < STREAM_PAGE) return;
    }
  }

  private async feed(clinicId: string): Promise<ClinicFeed> {
    for (;;) {
      let feed = this.feeds.get(clinicId);
      if (!feed) {
        const created = new ClinicFeed(clinicId);
        created.ready = this.connection.latestEventId(clinicId).then(
          (id) => void (created.head = BigInt(id)),
          (err: Error) => {
            if (this.feeds.get(clinicId) === created) this.feeds.delete(clinicId);
            throw err;
          },
        );
        this.feeds.set(clinicId, created);
        feed = created;
      }
      await feed.ready;
      // Dropped meanwhile (its last stream left): take the current one.
      if (this.feeds.get(clinicId) === feed) return feed;
      if (!this.feeds.has(clinicId)) {
        this.feeds.set(clinicId, feed);
        return feed;
      }
    }
  }

  private async pump(feed: ClinicFeed): Promise<void> {
    if (feed.pumping) {
      feed.again = true;
      return;
    }
    feed.pumping = true;
    try {
      await feed.ready;
      do {
        feed.again = false;
        for (;;) {
          const events = await this.connection.eventsAfter(feed.clinicId, feed.head.toString());
          if (!events.length) break;
          feed.head = BigInt(events[events.length - 1].id);
          // One page for every stream: the same event objects, so each is formatted once (see the sink).
          const page = { events, first: BigInt(events[0].id), last: feed.head };
          for (const slot of feed.slots) if (slot.live) this.deliverPage(slot, page);
          if (events.length < STREAM_PAGE) break;
        }
      } while (feed.again && feed.slots.size > 0);
    } catch (err) {
      this.logger.warn(`alert stream read failed; retried on the next event: ${(err as Error).message}`);
    } finally {
      feed.pumping = false;
    }
  }

  /** A page of the clinic's feed to a live stream: all of it when the stream is behind its first event (the usual case). */
  private deliverPage(slot: StreamSlot, page: { events: StreamEvent[]; first: bigint; last: bigint }): void {
    if (page.last <= slot.lastId || !slot.sink || slot.released) return;
    if (page.first <= slot.lastId) return this.deliver(slot, page.events);
    slot.lastId = page.last;
    slot.sink.send(page.events);
  }

  private deliver(slot: StreamSlot, events: StreamEvent[]): void {
    const fresh = events.filter((e) => BigInt(e.id) > slot.lastId);
    if (!fresh.length || !slot.sink || slot.released) return;
    slot.lastId = BigInt(fresh[fresh.length - 1].id);
    slot.sink.send(fresh);
  }

  /** One query for the owners of every open stream; ends the streams whose owner may no longer read them. */
  private async checkOwners(): Promise<void> {
    if (this.checking) return;
    if (this.slots.size === 0 && this.ownerCheck) {
      clearInterval(this.ownerCheck);
      this.ownerCheck = null;
      return;
    }
    this.checking = true;
    const attached = [...this.slots].filter((s) => s.baseline);
    try {
      if (!attached.length) return;
      const states = await this.connection.owners([...new Set(attached.map((s) => s.owner.userId))]);
      const byId = new Map(states.map((o) => [o.id, o]));
      const now = Date.now();
      for (const slot of attached) {
        const reason = streamEndReason(slot.baseline!, byId.get(slot.owner.userId), now);
        if (reason) this.end(slot, reason);
      }
    } catch (err) {
      this.logger.warn(`alert stream owner check failed: ${(err as Error).message}`);
      const now = Date.now();
      for (const slot of attached) if (now >= slot.baseline!.tokenExpiresAt) this.end(slot, 'token_expired');
    } finally {
      this.checking = false;
    }
  }

  private end(slot: StreamSlot, reason: StreamEndReason): void {
    if (slot.released) return;
    const sink = slot.sink;
    slot.release();
    sink?.end(reason);
  }

  private forget(slot: StreamSlot): void {
    this.slots.delete(slot);
    const left = (this.perUser.get(slot.owner.userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(slot.owner.userId, left);
    else this.perUser.delete(slot.owner.userId);
    const feed = this.feeds.get(slot.owner.clinicId);
    if (feed?.slots.delete(slot) && feed.slots.size === 0) this.feeds.delete(slot.owner.clinicId);
  }

  /** Stopping: every stream is ended (its client reconnects to another process) before the server closes. */
  beforeApplicationShutdown(): void {
    this.closed = true;
    if (this.ownerCheck) clearInterval(this.ownerCheck);
    this.ownerCheck = null;
    for (const slot of [...this.slots]) this.end(slot, 'shutdown');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

const tooManyStreams = (message: string) => new DomainError(429, ErrorCode.TooManyStreams, message, [], { 'Retry-After': '30' });
