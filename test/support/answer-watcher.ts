import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { publishedContract, type ResponseContract, type RouteContract } from './response-contract.js';
import { recordDrift } from './response-drifts.js';

/** Bodies larger than this are not kept for checking (none of Vigil's answers comes near). */
const MAX_BODY = 8 * 1024 * 1024;

/**
 * Checks every answer `server` sends against the published contract: its status, content type and
 * body, and for a stream each event's data as it is written. An answer that differs is recorded as
 * a drift; the test hooks (response-contract.setup.ts) fail the test that made the request.
 * Prepended, so it sees the response before Fastify writes to it.
 */
export function watchAnswers(server: Server, contract: ResponseContract = publishedContract()): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => watch(contract, req, res));
}

function watch(contract: ResponseContract, req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? 'GET';
  if (method === 'HEAD' || method === 'OPTIONS') return;
  const url = req.url ?? '/';
  const route = contract.routeOf(method, url.split('?')[0]);
  const answer = new Answer(route, url);

  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const result = (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    answer.head(res.statusCode, contentTypeOf(args) ?? header(res.getHeader('content-type')));
    return result;
  };

  const write = res.write;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    answer.chunk(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]);
  } as typeof res.write;

  const end = res.end;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') answer.chunk(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).apply(this, [chunk, ...rest]);
  } as typeof res.end;

  res.once('finish', () => answer.finish(res.statusCode, header(res.getHeader('content-type'))));
}

function header(value: number | string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value === undefined ? undefined : String(value);
}

/** The content type among writeHead's arguments: (status, [message], headers) with headers an object or a flat or paired array. */
function contentTypeOf(args: unknown[]): string | undefined {
  const headers = args.slice(1).find((a) => typeof a === 'object' && a !== null);
  if (Array.isArray(headers)) {
    const pairs: unknown[][] = Array.isArray(headers[0]) ? (headers as unknown[][]) : [];
    if (!pairs.length) for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]]);
    const found = pairs.find(([k]) => String(k).toLowerCase() === 'content-type');
    return found ? String(found[1]) : undefined;
  }
  if (!headers) return undefined;
  const found = Object.entries(headers as OutgoingHttpHeaders).find(([k]) => k.toLowerCase() === 'content-type');
  return found ? header(found[1]) : undefined;
}

/** One answer as it is written: its body kept for checking at the end, or a stream's events checked one by one. */
class Answer {
  private chunks: Buffer[] = [];
  private size = 0;
  private stream: string | null = null;
  private checked = false;
  /** As written by writeHead (headers given to it directly are not readable with getHeader afterwards). */
  private contentType: string | undefined;

  constructor(
    private readonly route: RouteContract,
    private readonly url: string,
  ) {}

  head(status: number, contentType: string | undefined): void {
    this.contentType = contentType;
    if (status === 200 && contentType && /^text\/event-stream\b/i.test(contentType)) {
      // The stream's own status and type are checked now; its events as they come.
      this.drift(status, this.route.check(status, contentType, Buffer.from(' ')));
      this.stream = '';
    }
  }

  chunk(chunk: unknown, encoding: unknown): void {
    // What a response is written with: a string (in its encoding), a Buffer or another Uint8Array.
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk)
          : null;
    if (!buffer) return;
    if (this.stream !== null) return this.streamed(buffer.toString('utf8'));
    this.size += buffer.length;
    if (this.size <= MAX_BODY) this.chunks.push(buffer);
  }

  finish(status: number, contentType: string | undefined): void {
    if (this.checked || this.stream !== null || this.size > MAX_BODY) return;
    this.checked = true;
    this.drift(status, this.route.check(status, this.contentType ?? contentType, Buffer.concat(this.chunks)));
  }

  /** Server-Sent Events: blocks end with a blank line; `event:` names it (`message` when absent), `data:` lines carry its JSON. */
  private streamed(text: string): void {
    this.stream += text;
    let cut: number;
    while ((cut = this.stream!.indexOf('\n\n')) >= 0) {
      const block = this.stream!.slice(0, cut);
      this.stream = this.stream!.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) this.drift(200, this.route.checkEvent(event, data.join('\n')));
    }
  }

  private drift(status: number, problems: ReturnType<RouteContract['check']>): void {
    if (problems.length) recordDrift({ route: this.route.route, status, url: this.url, problems });
  }
}
