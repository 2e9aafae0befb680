import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DomainError, JobQueue, Public, VigilConfig } from '#platform';

const digest = (s: string) => createHash('sha256').update(s).digest();
/** Compares in constant time, so the answer's timing tells nothing of the token. */
const sameSecret = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Prometheus metrics of this process: HTTP latency by route, queue depths, failed jobs, the HL7 listener. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpErrors: Counter<'route' | 'status'>;
  readonly hl7Connections: Gauge;
  readonly hl7Messages: Counter<'outcome' | 'ack'>;
  readonly hl7AckSeconds: Histogram<'ack'>;

  constructor(jobs: JobQueue) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    this.httpDuration = new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.httpErrors = new Counter({
      name: 'vigil_http_server_errors_total',
      help: 'HTTP answers with status 5xx',
      labelNames: ['route', 'status'],
      registers: [this.registry],
    });
    this.hl7Connections = new Gauge({
      name: 'vigil_hl7_connections',
      help: 'HL7 (MLLP) connections open',
      registers: [this.registry],
    });
    this.hl7Messages = new Counter({
      name: 'vigil_hl7_messages_total',
      help: 'HL7 messages received, by outcome (accepted, duplicate, refused, rejected, unreadable) and ACK sent',
      labelNames: ['outcome', 'ack'],
      registers: [this.registry],
    });
    this.hl7AckSeconds = new Histogram({
      name: 'vigil_hl7_ack_seconds',
      help: 'From a whole HL7 frame received to its ACK written (the commit in between)',
      labelNames: ['ack'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    new Gauge({
      name: 'vigil_queue_jobs',
      help: 'Jobs per queue and state (failed = kept after their retries ran out)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          jobs.all().map(async (queue) => {
            const counts = await queue.getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
    if (status >= 500) this.httpErrors.inc({ route, status: String(status) });
  }
}

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: VigilConfig,
  ) {}

  /** Only with `Authorization: Bearer <METRICS_TOKEN>`; with METRICS_TOKEN unset, no one (the metrics name routes and load). */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const expected = this.config.METRICS_TOKEN;
    if (!expected || typeof authorization !== 'string' || !sameSecret(authorization, `Bearer ${expected}`)) {
      throw DomainError.unauthenticated(undefined, expected ? undefined : 'Set METRICS_TOKEN to read /metrics');
    }
    return this.metrics.registry.metrics();
  }
}
