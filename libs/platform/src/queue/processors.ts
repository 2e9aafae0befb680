import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobDispatcher } from './job-dispatcher.js';
import { cappedBackoff } from './job-queue.service.js';
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

/**
 * Every worker knows the capped backoff its jobs ask for. A job that was running in a worker that
 * died (SIGKILL, lost host) is taken up again once its lock lapses: within 15 s rather than BullMQ's
 * default of up to a minute (30 s lock + 30 s stall check), during which the sweeper's re-add of
 * the same job id could not help. Running a job twice is harmless: its row is claimed once.
 */
const settings = { backoffStrategy: cappedBackoff };
const recovery = { lockDuration: 10_000, stalledInterval: 5_000 };

@Processor(QueueName.Alerts, { concurrency: 8, settings, ...recovery })
export class AlertsProcessor extends DispatchingProcessor {}

@Processor(QueueName.FollowUps, { concurrency: 8, settings, ...recovery })
export class FollowUpsProcessor extends DispatchingProcessor {}

@Processor(QueueName.Notifications, { concurrency: 4, settings, ...recovery })
export class NotificationsProcessor extends DispatchingProcessor {}

@Processor(QueueName.Maintenance, { concurrency: 4, settings, ...recovery })
export class MaintenanceProcessor extends DispatchingProcessor {}

export const PROCESSORS = [AlertsProcessor, FollowUpsProcessor, NotificationsProcessor, MaintenanceProcessor];
