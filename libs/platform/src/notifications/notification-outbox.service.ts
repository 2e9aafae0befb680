import { Injectable } from '@nestjs/common';
import { VigilConfig } from '../config/vigil-config.js';
import { requestContext } from '../context/request-context.js';
import type { Tx } from '../database/transaction.js';
import { JobName } from '../queue/job-names.js';
import { PendingWorkService } from '../queue/pending-work.service.js';
import { Notification } from './notification.entity.js';

export interface OutgoingMessage {
  clinicId: string | null;
  recipientUserId?: string | null;
  recipientAddress: string;
  subject: string;
  body: string;
}

/**
 * Writes messages to the outbox inside the caller's transaction; with SMTP configured, a
 * pending-work row (same transaction) has it delivered after commit, so a message goes out only
 * for a change that happened, and a lost queue loses none.
 */
@Injectable()
export class NotificationOutbox {
  constructor(
    private readonly config: VigilConfig,
    private readonly pendingWork: PendingWorkService,
  ) {}

  async add(tx: Tx, message: OutgoingMessage): Promise<string> {
    const result = await tx.manager.insert(Notification, {
      clinicId: message.clinicId,
      recipientUserId: message.recipientUserId ?? null,
      recipientAddress: message.recipientAddress,
      subject: message.subject,
      body: message.body,
      requestId: requestContext.requestId() ?? null,
    });
    const id = (result.identifiers[0] as { id: string }).id;
    if (this.config.SMTP_URL)
      await this.pendingWork.schedule(tx, {
        kind: JobName.DeliverNotification,
        subjectId: id,
        dueAt: new Date(),
        clinicId: message.clinicId,
      });
    return id;
  }
}
