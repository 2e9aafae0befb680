import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PlatformModule, QueueWorkerModule, type VigilRuntime } from '#platform';
import { AuditController } from './audit/audit.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './http/auth.guard.js';
import { ErrorFilter } from './http/error.filter.js';
import { HealthController } from './operations/health.controller.js';
import { Metrics, MetricsController } from './operations/metrics.js';
import { UsersController } from './users/users.controller.js';

@Module({})
export class AppModule {
  /** The HTTP API; with `worker` (WORKER_EMBEDDED) the queue processors and sweeper run here too. */
  static forRoot(runtime: VigilRuntime, opts: { worker: boolean }): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(runtime), ...(opts.worker ? [QueueWorkerModule] : [])],
      controllers: [AuthController, UsersController, AuditController, HealthController, MetricsController],
      providers: [Metrics, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
