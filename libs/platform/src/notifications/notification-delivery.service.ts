import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { VigilConfig } from '../config/vigil-config.js';
import { outsideTransaction, type Tx } from '../database/transaction.js';
import { JobHandler } from '../queue/job-handler.decorator.js';
import { JobName } from '../queue/job-names.js';
import type { PendingWork } from '../queue/pending-work.entity.js';
import { Notification } from './notification.entity.js';

/**
 * Delivers outbox messages by SMTP. The attempt is recorded (committed) before the SMTP call and the
 * result after it, so a worker that dies in between leaves the row 'sending': the retry sends it
 * again and says so (attempts > 1, last_error), rather than silently sending twice or never.
 */
@Injectable()
export class NotificationDelivery implements OnModuleInit {
  private readonly logger = new Logger('Notifications');
  private transport: Transporter | null = null;

  constructor(
    private readonly config: VigilConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.config.SMTP_URL)
      this.logger.warn('SMTP_URL is not set: notifications stay in the outbox (each recipient reads theirs at GET /api/v1/notifications)');
  }

  // The attempt's bookkeeping runs outside the job's transaction on purpose: it must stay recorded
  // even if the process dies during the SMTP call.
  @JobHandler(JobName.DeliverNotification)
  async deliver(work: PendingWork, _tx: Tx): Promise<void> {
    return outsideTransaction(() => this.attempt(work));
  }

  private async attempt(work: PendingWork): Promise<void> {
    const n = await this.dataSource.getRepository(Notification).findOneBy({ id: work.subjectId });
    if (!n || n.status === 'sent') return;
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set');
    const interrupted = n.status === 'sending';
    await this.dataSource.query(
      `UPDATE notifications SET status = 'sending', attempts = attempts + 1,
         last_error = CASE WHEN $2 THEN 'resent: a previous attempt was interrupted after it started' ELSE last_error END
       WHERE id = $1`,
      [n.id, interrupted],
    );
    try {
      this.transport ??= createTransport(this.config.SMTP_URL);
      await this.transport.sendMail({
        from: this.config.SMTP_FROM,
        to: n.recipientAddress,
        subject: n.subject,
        text: n.body,
        messageId: `<${n.id}@vigil>`,
        headers: { 'X-Vigil-Attempt': String(n.attempts + 1), ...(interrupted && { 'X-Vigil-Resent': 'true' }) },
      });
    } catch (err) {
      await this.dataSource.query(`UPDATE notifications SET status = 'pending', last_error = $2 WHERE id = $1`, [
        n.id,
        String((err as Error).message).slice(0, 2000),
      ]);
      throw err;
    }
    await this.dataSource.query(`UPDATE notifications SET status = 'sent', sent_at = now() WHERE id = $1`, [n.id]);
  }
}
