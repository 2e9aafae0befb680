import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Clock, JobHandler, JobName, NotificationOutbox, User, type PendingWork, type Tx } from '#platform';
import { CsDiscrepancy } from './discrepancy.entity.js';
import { CsLossDeadline, CsLossReport } from './loss.entity.js';

const CLOCKS = { notice: 'written notice to the DEA field office', 'form-106': 'DEA Form 106' };

/**
 * The ledger's work due later, carried by pending-work rows (they survive a Redis flush): a loss
 * report's reminders and overdue alerts, and a discrepancy still open when due. Each tells the
 * clinic's anesthesiologists and administrators by a message in the outbox, once.
 */
@Injectable()
export class LedgerAlerts {
  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly clock: Clock,
  ) {}

  /** A reminder (half-way, nine tenths) or the overdue alert of one clock, unless what it waits for is done. */
  @JobHandler(JobName.LedgerLossDeadline)
  async lossDeadline(work: PendingWork, tx: Tx): Promise<void> {
    const m = tx.manager;
    const d = await m.findOneBy(CsLossDeadline, { id: work.subjectId });
    if (!d || d.sentAt) return;
    const r = await m.findOneByOrFail(CsLossReport, { id: d.lossReportId });
    const done = d.clock === 'notice' ? r.status !== 'open' : r.status === 'filed';
    if (done) return;
    const due = d.clock === 'notice' ? r.noticeDueAt : r.form106DueAt;
    const what = CLOCKS[d.clock];
    const subject =
      d.kind === 'overdue'
        ? `Vigil: OVERDUE: ${what} for a controlled-substance ${r.kind}`
        : `Vigil: ${what} due for a controlled-substance ${r.kind}`;
    await this.tell(
      tx,
      r.clinicId,
      subject,
      `${what} is due by ${due.toISOString()} (discovered ${r.discoveredAt.toISOString()}). Loss report ${r.id}.`,
    );
    await m.update(CsLossDeadline, { id: d.id }, { sentAt: this.clock.now() });
  }

  @JobHandler(JobName.LedgerDiscrepancyOverdue)
  async discrepancyOverdue(work: PendingWork, tx: Tx): Promise<void> {
    const d = await tx.manager.findOneBy(CsDiscrepancy, { id: work.subjectId });
    if (!d || d.status !== 'open') return;
    await this.tell(
      tx,
      d.clinicId,
      'Vigil: OVERDUE: a controlled-substance discrepancy is unresolved',
      `Expected ${d.expected} ${d.unit}, found ${d.found}; due by ${d.dueAt.toISOString()}. Unexplained, it may be a loss to report. Discrepancy ${d.id}.`,
    );
  }

  private async tell(tx: Tx, clinicId: string, subject: string, body: string): Promise<void> {
    const staff = await tx.manager.findBy(User, { clinicId, role: In(['anesthesiologist', 'admin']), active: true });
    for (const u of staff) await this.outbox.add(tx, { clinicId, recipientUserId: u.id, recipientAddress: u.email, subject, body });
  }
}
