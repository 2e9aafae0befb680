import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Clock, JobHandler, JobName, NotificationOutbox, User, type PendingWork, type Tx } from '#platform';
import { CsDiscrepancy } from './discrepancy.entity.js';
import { CsReminder } from './inventory.entity.js';
import { CsLossDeadline, CsLossReport } from './loss.entity.js';
import { RENEWAL_LEAD_DAYS } from './reminders.js';
import { CsRegistration } from './registry.entity.js';

const CLOCKS = { notice: 'written notice to the DEA field office', 'form-106': 'DEA Form 106' };

/**
 * The ledger's work due later, carried by pending-work rows (they survive a Redis flush): a loss
 * report's reminders and overdue alerts, a discrepancy still open when due, the biennial inventory's
 * reminder and overdue alert, and a registration's renewal reminder and lapse. Each tells the
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

  /** A dated duty (biennial inventory, registration renewal or lapse), unless a newer inventory or a renewal replaced it. */
  @JobHandler(JobName.LedgerReminder)
  async reminder(work: PendingWork, tx: Tx): Promise<void> {
    const m = tx.manager;
    const r = await m.findOneBy(CsReminder, { id: work.subjectId });
    if (!r || r.sentAt) return;
    const registration = await m.findOneByOrFail(CsRegistration, { id: r.registrationId });
    if (await superseded(m, r)) return;
    const { subject, body } = reminderMessage(r, registration);
    await this.tell(tx, r.clinicId, subject, `${body} Registration ${registration.id}.`);
    await m.update(CsReminder, { id: r.id }, { sentAt: this.clock.now() });
  }

  private async tell(tx: Tx, clinicId: string, subject: string, body: string): Promise<void> {
    const staff = await tx.manager.findBy(User, { clinicId, role: In(['anesthesiologist', 'admin']), active: true });
    for (const u of staff) await this.outbox.add(tx, { clinicId, recipientUserId: u.id, recipientAddress: u.email, subject, body });
  }
}

/** A newer reminder of the same kind replaced it (a newer inventory, a renewal recorded). */
function superseded(m: EntityManager, r: CsReminder): Promise<boolean> {
  return m
    .createQueryBuilder(CsReminder, 'x')
    .where('x.registration_id = :registrationId AND x.kind = :kind AND x.created_at > :createdAt', {
      registrationId: r.registrationId,
      kind: r.kind,
      createdAt: r.createdAt,
    })
    .getExists();
}

function reminderMessage(r: CsReminder, g: CsRegistration): { subject: string; body: string } {
  switch (r.kind) {
    case 'inventory-due':
      return {
        subject: `Vigil: the biennial controlled-substance inventory is due by ${r.dueOn}`,
        body: `The last inventory under DEA registration ${g.deaNumber} was taken on ${r.basis}; the next is due within two years of it, by ${r.dueOn} (21 CFR 1304.11(c)).`,
      };
    case 'inventory-overdue':
      return {
        subject: 'Vigil: OVERDUE: the biennial controlled-substance inventory',
        body: `The biennial inventory under DEA registration ${g.deaNumber} was due by ${r.dueOn} (the last was taken on ${r.basis}; 21 CFR 1304.11(c)). Take it now.`,
      };
    case 'registration-renewal':
      return {
        subject: `Vigil: DEA registration ${g.deaNumber} expires on ${r.dueOn}`,
        body: `DEA registration ${g.deaNumber} (${g.registrantName}) is valid through ${r.dueOn}. File its renewal before then (the DEA mails its notice about 65 days before; this reminder comes ${RENEWAL_LEAD_DAYS}), then record the new expiry in Vigil.`,
      };
    case 'registration-lapsed':
      return {
        subject: `Vigil: DEA registration ${g.deaNumber} has lapsed`,
        body: `DEA registration ${g.deaNumber} (${g.registrantName}) expired on ${r.dueOn}: no controlled substance is received or given under it until it is renewed and its new expiry recorded.`,
      };
  }
}
