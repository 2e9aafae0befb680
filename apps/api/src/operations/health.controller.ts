import { Controller, Get, HttpCode, Inject, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { JobQueue, Public, QUEUE_BACKENDS, VIGIL_RUNTIME, type QueueBackendKind, type VigilRuntime } from '#platform';
import { MllpListener } from '../hl7/mllp-listener.js';

class AliveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class CheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
}

class QueueCheckDto extends CheckDto {
  @ApiProperty({ enum: QUEUE_BACKENDS, description: 'REDIS_URL set: redis; otherwise the queues run on PostgreSQL' })
  backend!: QueueBackendKind;
}

class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: CheckDto }) database!: CheckDto;
  @ApiProperty({ type: QueueCheckDto }) queue!: QueueCheckDto;
  @ApiProperty({
    enum: ['up', 'down', 'off'],
    description: 'the HL7 (MLLP) listener: off when HL7_MLLP_PORT is unset; down when set but not listening',
  })
  hl7!: 'up' | 'down' | 'off';
  @ApiProperty({ description: 'HL7 connections open' }) hl7Connections!: number;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    @Inject(VIGIL_RUNTIME) private readonly runtime: VigilRuntime,
    private readonly hl7: MllpListener,
  ) {}

  /** The process is alive. */
  @Get()
  @HttpCode(200)
  @ApiOkResponse({ type: AliveDto })
  alive(): AliveDto {
    return { status: 'ok' };
  }

  /** PostgreSQL and the queue backend both answer, and the HL7 listener listens when configured (503 otherwise). */
  @Get('ready')
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const check = async (fn: () => Promise<unknown>): Promise<CheckDto> => {
      try {
        await withTimeout(fn(), 2000);
        return { status: 'up' };
      } catch (err) {
        this.logger.warn(`readiness check failed: ${(err as Error).message}`);
        return { status: 'down' };
      }
    };
    const [database, queue] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.jobs.all()[0].getJobCounts('waiting')),
    ]);
    const hl7 = !this.hl7.enabled ? 'off' : this.hl7.address() ? 'up' : 'down';
    const ok = database.status === 'up' && queue.status === 'up' && hl7 !== 'down';
    void reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      database,
      queue: { ...queue, backend: this.runtime.queue.kind },
      hl7,
      hl7Connections: this.hl7.connections,
    };
  }
}
