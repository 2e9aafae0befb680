import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobDispatcher } from './job-dispatcher.js';
import { QueueName } from './job-names.js';

/** One BullMQ worker per queue; each hands its jobs to the dispatcher. */
@Injectable() // gives the subclasses the constructor's parameter types to inject
abstract class DispatchingProcessor extends WorkerHost {
  constructor(private readonly dispatcher: JobDispatcher) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.dispatcher.dispatch(job);
  }

  /** A queue-backend error (a job wiped while it ran, a deadlock in the backend): logged; the sweeper re-adds what matters. */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    new Logger('Queue').warn(`worker error: ${err.message}`);
  }
}

@Processor(QueueName.Alerts, { concurrency: 8 })
export class AlertsProcessor extends DispatchingProcessor {}

@Processor(QueueName.FollowUps, { concurrency: 8 })
export class FollowUpsProcessor extends DispatchingProcessor {}

@Processor(QueueName.Notifications, { concurrency: 4 })
export class NotificationsProcessor extends DispatchingProcessor {}

@Processor(QueueName.Maintenance, { concurrency: 4 })
export class MaintenanceProcessor extends DispatchingProcessor {}

export const PROCESSORS = [AlertsProcessor, FollowUpsProcessor, NotificationsProcessor, MaintenanceProcessor];
