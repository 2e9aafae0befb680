import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
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
