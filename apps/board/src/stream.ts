import { API, type Api } from './api.js';

export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface StreamEvent {
  id: string | null;
  event: string;
  data: string;
}

export interface StreamHandlers {
  /** Caught up and listening: read the floor now. */
  open(): void;
  /** An alert event (raised, acknowledged, escalated, resolved, …). */
  alert(type: string, data: Record<string, unknown>): void;
  /** The floor changed otherwise (readings, a session moved). */
  changed(): void;
  state(state: ConnectionState, since: number): void;
  /** The account changed (deactivated, other role or password): sign in again. */
  signedOut(): void;
}

/** Silence longer than this (the server pings every 15 s) means the connection is dead. */
const SILENCE_MS = 40_000;
/** Reconnecting for longer than this shows "offline". */
const OFFLINE_AFTER_MS = 30_000;

/** Splits an SSE byte stream into events (the parts of the format Vigil sends: id, event, data, comments). */
export class SseParser {
  private buffer = '';

  push(chunk: string): StreamEvent[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const events: StreamEvent[] = [];
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const e: StreamEvent = { id: null, event: 'message', data: '' };
      let any = false;
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        any = true;
        if (field === 'id') e.id = value;
        else if (field === 'event') e.event = value;
        else if (field === 'data') e.data = e.data ? `${e.data}\n${value}` : value;
      }
      if (any) events.push(e);
    }
    return events;
  }
}

/**
 * The board's live feed: GET /board/stream read with fetch, so the access token travels in the
 * Authorization header and never in a URL. It reconnects by itself (1 s, doubling to 10 s) with
 * `Last-Event-ID`, so the alert events sent meanwhile are replayed; a stream ended because the
 * token expired reconnects at once with a refreshed one.
 */
export class BoardStream {
  lastEventId: string | null = null;
  private controller: AbortController | null = null;
  private stopped = false;
  private current: ConnectionState | null = null;
  private since = Date.now();
  private failingSince: number | null = null;

  constructor(
    private readonly api: Api,
    private readonly on: StreamHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('offline', this.wentOffline);
    window.addEventListener('online', this.cameOnline);
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('offline', this.wentOffline);
    window.removeEventListener('online', this.cameOnline);
    this.controller?.abort();
    this.wake();
  }

  /** The device lost its network: say so at once (a stream may sit silent for a while before failing). */
  private readonly wentOffline = (): void => {
    this.failingSince ??= Date.now();
    this.setState('offline');
    this.controller?.abort();
  };

  /** The network is back: try again now rather than after the back-off. */
  private readonly cameOnline = (): void => {
    this.setState('reconnecting');
    this.wake();
  };

  private wake: () => void = () => {};

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = window.setTimeout(resolve, ms);
      this.wake = () => {
        window.clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let delay = 1000;
    while (!this.stopped) {
      const outcome = await this.connectOnce();
      if (this.stopped) return;
      if (outcome === 'signed-out') return this.on.signedOut();
      if (outcome === 'token') {
        delay = 1000;
        continue;
      }
      this.failingSince ??= Date.now();
      this.setState(Date.now() - this.failingSince > OFFLINE_AFTER_MS || !navigator.onLine ? 'offline' : 'reconnecting');
      await this.pause(delay * (0.8 + Math.random() * 0.4));
      delay = Math.min(10_000, delay * 2);
      if (outcome === 'was-live') delay = 1000;
    }
  }

  /** One connection, until it ends: why it ended decides what comes next. */
  private async connectOnce(): Promise<'token' | 'signed-out' | 'was-live' | 'failed'> {
    const controller = new AbortController();
    this.controller = controller;
    let live = false;
    let watchdog = 0;
    const feed = () => {
      window.clearTimeout(watchdog);
      watchdog = window.setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      feed();
      const res = await fetch(`${API}/board/stream`, {
        headers: {
          Accept: 'text/event-stream',
          ...(this.api.token && { Authorization: `Bearer ${this.api.token}` }),
          ...(this.lastEventId && { 'Last-Event-ID': this.lastEventId }),
        },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status === 401) return (await this.api.refresh()) ? 'token' : this.api.token ? 'failed' : 'signed-out';
      if (!res.ok || !res.body) return 'failed';
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return live ? 'was-live' : 'failed';
        feed();
        for (const e of parser.push(value)) {
          if (e.event === 'end') {
            const reason = (JSON.parse(e.data || '{}') as { reason?: string }).reason;
            if (reason === 'token_expired') return (await this.api.refresh()) ? 'token' : 'failed';
            if (reason === 'account_changed') return 'signed-out';
            return live ? 'was-live' : 'failed';
          }
          if (e.event === 'open') {
            live = true;
            this.failingSince = null;
            this.setState('live');
            this.on.open();
          } else if (e.event === 'board') this.on.changed();
          else if (e.data) {
            if (e.id) this.lastEventId = e.id;
            this.on.alert(e.event, JSON.parse(e.data) as Record<string, unknown>);
          }
        }
      }
    } catch {
      return live ? 'was-live' : 'failed';
    } finally {
      window.clearTimeout(watchdog);
      controller.abort();
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.since = Date.now();
    this.on.state(state, this.since);
  }
}
