import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobDispatcher } from './job-dispatcher.js';
import { PROCESSORS } from './processors.js';
import { PendingWorkSweeper } from './sweeper.service.js';

/** The processors and the sweeper: imported by the worker, and by the API when WORKER_EMBEDDED. */
@Module({
  imports: [DiscoveryModule],
  providers: [JobDispatcher, PendingWorkSweeper, ...PROCESSORS],
  exports: [JobDispatcher, PendingWorkSweeper],
})
export class QueueWorkerModule {}
