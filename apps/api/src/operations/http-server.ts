import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { VigilConfig } from '#platform';

/**
 * The API's HTTP server, hardened against slow and greedy clients: a client has
 * HTTP_HEADERS_TIMEOUT_MS to send its headers and HTTP_REQUEST_TIMEOUT_MS its whole request, a
 * silent connection is closed after HTTP_CONNECTION_TIMEOUT_MS, an idle keep-alive one after
 * HTTP_KEEP_ALIVE_TIMEOUT_MS, and one address holds at most HTTP_MAX_CONNECTIONS_PER_ADDRESS
 * connections (the next are closed at once). A Fastify `serverFactory`.
 */
export function hardenedServer(config: VigilConfig): (handler: RequestListener) => Server {
  return (handler) => {
    const server = createServer(
      {
        headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        // Node checks the two deadlines above at this interval (30 s by default, too coarse for them).
        connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
      },
      handler,
    );
    server.setTimeout(config.HTTP_CONNECTION_TIMEOUT_MS);
    if (config.HTTP_MAX_CONNECTIONS_PER_ADDRESS > 0) capPerAddress(server, config.HTTP_MAX_CONNECTIONS_PER_ADDRESS);
    return server;
  };
}

function capPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '-';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
