import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-names.js';

export const JOB_HANDLER = 'vigil:job-handler';

/**
 * Marks the method that carries out a job. For a pending-work kind the method receives the
 * claimed row and the open transaction `(work: PendingWork, tx: Tx)`; it must not catch and
 * swallow errors, so the queue's retries stay live. For other jobs it receives the payload.
 */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);
