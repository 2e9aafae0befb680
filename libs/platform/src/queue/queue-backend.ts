import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions } from 'bullmq';
import type { VigilConfig } from '../config/vigil-config.js';

/** Where the queues run (published by GET /health/ready). */
export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackendKind = (typeof QUEUE_BACKENDS)[number];

export interface QueueBackend {
  kind: QueueBackendKind;
  /** The `connection` given to every Queue and Worker. */
  connection: ConnectionOptions;
}

/** The BullMQ `connection` for a Redis URL (no retry limit on blocking commands, as BullMQ asks). */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
  };
}

/**
 * Redis when REDIS_URL is set; otherwise BullMQ's PostgreSQL backend in Vigil's own database
 * (schema `bullmq`, created by BullMQ's own migrations under an advisory lock).
 */
export function selectQueueBackend(config: Pick<VigilConfig, 'REDIS_URL'>, databaseUrl: string): QueueBackend {
  if (config.REDIS_URL) {
    setDefaultBackendFactory();
    return { kind: 'redis', connection: redisConnection(config.REDIS_URL) };
  }
  setDefaultBackendFactory(createPostgresBackend);
  const connection = { connectionString: databaseUrl, migrate: true, max: 4 };
  return { kind: 'postgres', connection: connection };
}
