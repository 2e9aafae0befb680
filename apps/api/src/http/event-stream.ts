import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#platform';

/** A comment line every 15 s keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** The event id a client resumes after (`Last-Event-ID`): one a Vigil stream sent, else 400. */
export function resumeAfter(lastEventId: string | undefined): string | null {
  if (lastEventId === undefined) return null;
  if (!/^\d{1,18}$/.test(lastEventId))
    throw DomainError.validation([{ field: 'Last-Event-ID', message: 'must be an event id this stream sent' }]);
  return lastEventId;
}

type StoredEvent = { id: string | number; type: string; payload: unknown };

/** The SSE text of an event, formatted once however many streams send the same event object. */
const formatted = new WeakMap<StoredEvent, string>();
function eventText(e: StoredEvent): string {
  let text = formatted.get(e);
  if (text === undefined) {
    text = `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`;
    formatted.set(e, text);
  }
  return text;
}

/** A Server-Sent Events answer being written. */
export interface EventStream {
  /**
   * Sends the headers and a first comment: call once the client is subscribed, so that a 200 means
   * nothing raised after it is missed. The first event written or `end` sends them too.
   */
  open(): void;
  /** Writes raw SSE text; nothing once the client is gone or the stream ended. */
  write(chunk: string): void;
  /** Writes stored events, each with its id, name and JSON data. */
  send(events: readonly StoredEvent[]): void;
  /** Ends the stream with a last `end` event saying why. */
  end(reason: string): void;
  /** Runs `fn` once when the stream closes (the client left, or `end`); at once when it already has. */
  onClose(fn: () => void): void;
}

/**
 * Takes the answer over from Fastify as `text/event-stream`. Nothing is sent until `open` (or a
 * first write): then the headers, a comment so the client knows it is connected, and a heartbeat
 * until the stream closes.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  const gone = () => raw.destroyed || raw.writableEnded;
  let heartbeat: NodeJS.Timeout | undefined;
  const open = () => {
    if (heartbeat || gone()) return;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Request-Id': String(request.id),
    });
    raw.write(': connected\n\n');
    heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
  };
  const write = (chunk: string) => {
    if (gone()) return;
    open();
    raw.write(chunk);
  };
  const closers: Array<() => void> = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const fn of closers) fn();
  };
  raw.on('close', close);
  return {
    open,
    write,
    // One write for all the events of a call: a stream's cost is its system calls.
    send: (events) => write(events.map(eventText).join('')),
    end: (reason) => {
      open();
      close();
      if (!raw.writableEnded) raw.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
    },
    onClose: (fn) => {
      closers.push(fn);
      // A client gone before the listener was set: close now.
      if (closed) fn();
      else if (raw.destroyed || request.raw.socket.destroyed) close();
    },
  };
}
