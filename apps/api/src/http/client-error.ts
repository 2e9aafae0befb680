import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode } from '#platform';
import type { ErrorBody } from './error.filter.js';

/** What Node's HTTP parser refuses before any request exists, by its error code: status, code, message. */
const REFUSALS: Record<string, [number, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [431, ErrorCode.HeadersTooLarge, 'The request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, ErrorCode.ValidationFailed, 'The request took too long to arrive'],
};

/**
 * Answers what the HTTP parser refuses (headers too large, a malformed request line, a request
 * too slow to arrive) in api.md's error shape, with a fresh request id, then closes the socket.
 * Fastify's `clientErrorHandler`: no route, hook or filter runs for these.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, code, message] = REFUSALS[err.code ?? ''] ?? [400, ErrorCode.ValidationFailed, 'The request is malformed'];
  const requestId = randomUUID();
  const body: ErrorBody = { statusCode, code, message, details: [], requestId };
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(err);
}
