import { Injectable } from '@nestjs/common';
import { requestContext } from '../context/request-context.js';
import type { Tx } from '../database/transaction.js';
import { Notification } from './notification.entity.js';

export interface OutgoingMessage {
  clinicId: string | null;
  recipientUserId?: string | null;
  recipientAddress: string;
  subject: string;
  body: string;
}

/** Writes messages to the outbox inside the caller's transaction; delivery happens after commit. */
@Injectable()
export class NotificationOutbox {
  async add(tx: Tx, message: OutgoingMessage): Promise<string> {
    const result = await tx.manager.insert(Notification, {
      clinicId: message.clinicId,
      recipientUserId: message.recipientUserId ?? null,
      recipientAddress: message.recipientAddress,
      subject: message.subject,
      body: message.body,
      requestId: requestContext.requestId() ?? null,
    });
    return (result.identifiers[0] as { id: string }).id;
  }
}
