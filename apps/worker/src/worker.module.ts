import { Module, type DynamicModule } from '@nestjs/common';
import { ClinicModule } from '#clinic';
import { PlatformModule, QueueWorkerModule, type VigilRuntime } from '#platform';

/** The worker: queue processors and sweepers, no HTTP API. */
@Module({})
export class WorkerModule {
  static forRoot(runtime: VigilRuntime): DynamicModule {
    return { module: WorkerModule, imports: [PlatformModule.forRoot(runtime), ClinicModule, QueueWorkerModule] };
  }
}
