import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Hl7FeedService } from '#clinic';
import { VigilConfig } from '#platform';
import { Metrics } from '../operations/metrics.js';
import { frame, MllpFramer } from './mllp-framer.js';

/**
 * The HL7 v2 listener (MLLP over TCP) bedside monitor gateways send PCD-01 messages to, on
 * HL7_MLLP_PORT (unset: not started). A connection stays open for many messages: its bytes are
 * buffered and cut into frames (split reads, several frames a read), each frame handled in turn and
 * answered in order, its ACK written only once the feed has committed it. A frame over 1 MiB closes
 * the connection, as does HL7_MLLP_IDLE_TIMEOUT_SEC of silence.
 */
@Injectable()
export class MllpListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Hl7Listener');
  private server?: Server;
  private readonly sockets = new Map<Socket, Promise<void>>();

  constructor(
    private readonly config: VigilConfig,
    private readonly feed: Hl7FeedService,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.HL7_MLLP_PORT === undefined) return;
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = this.config.HL7_MLLP_MAX_CONNECTIONS;
    const host = this.config.HL7_MLLP_HOST ?? this.config.HOST;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.HL7_MLLP_PORT, host, () => resolve());
    });
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.logger.log(`HL7 v2 (MLLP) listener on ${address}:${port}`);
  }

  /** Whether it should listen: HL7_MLLP_PORT is set. */
  get enabled(): boolean {
    return this.config.HL7_MLLP_PORT !== undefined;
  }

  /** Where it listens (null: not started). */
  address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  /** Connections open now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** Stops accepting; the messages already received are answered (within the shutdown timeout), then every connection ends. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.config.SHUTDOWN_TIMEOUT_MS).unref());
    await Promise.race([Promise.allSettled([...this.sockets.values()]), deadline]);
    for (const socket of this.sockets.keys()) socket.end();
    await Promise.race([closed, deadline]);
    for (const socket of this.sockets.keys()) socket.destroy();
  }

  private accept(socket: Socket): void {
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const framer = new MllpFramer();
    this.sockets.set(socket, Promise.resolve());
    this.metrics.hl7Connections.set(this.sockets.size);
    socket.setKeepAlive(true, 60_000);
    socket.setTimeout(this.config.HL7_MLLP_IDLE_TIMEOUT_SEC * 1000, () => {
      this.logger.log(`HL7 connection from ${peer} idle: closed`);
      socket.destroy();
    });
    socket.on('data', (data: Buffer) => {
      const { frames, overflow } = framer.push(data);
      for (const f of frames)
        this.sockets.set(
          socket,
          this.sockets.get(socket)!.then(() => this.answer(socket, f, peer)),
        );
      if (overflow) {
        this.logger.warn(`HL7 connection from ${peer} sent a frame over 1 MiB: closed`);
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.logger.debug(`HL7 connection from ${peer}: ${err.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.metrics.hl7Connections.set(this.sockets.size);
    });
  }

  /** One message, answered on its connection once stored (the connection's messages one after another, in order). */
  private async answer(socket: Socket, raw: Buffer, peer: string): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      const { ack, code, outcome } = await this.feed.receive(raw, peer);
      if (ack && !socket.destroyed) socket.write(frame(ack));
      this.metrics.hl7Messages.inc({ outcome, ack: code ?? 'none' });
      if (code) this.metrics.hl7AckSeconds.observe({ ack: code }, Number(process.hrtime.bigint() - started) / 1e9);
    } catch (err) {
      this.logger.error(`HL7 message from ${peer} not answered: ${(err as Error).message}`);
    }
  }
}
