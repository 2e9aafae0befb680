import { Injectable } from '@nestjs/common';
import { AuditService, Clinic, Clock, JobHandler, JobName, NotificationOutbox, User, type PendingWork, type Tx } from '#platform';
import { Patient } from '../patients/index.js';
import { Session } from '../sessions/index.js';
import { Alert } from './alert.entity.js';
import { AlertsService } from './alerts.service.js';
import { escalationEmail } from './escalation-email.js';

/**
 * clinical-rules.md section 3: a critical alert still open after the clinic's delays goes to the
 * session's anesthesiologist, then to every anesthesiologist, by email naming the patient (initials),
 * the chair, the values and the time in the clinic's time zone.
 */
@Injectable()
export class AlertEscalationService {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
    private readonly alerts: AlertsService,
  ) {}

  @JobHandler(JobName.EscalateAlertToSession)
  async escalateToSession(work: PendingWork, tx: Tx): Promise<void> {
    await this.escalate(tx, work.subjectId, 1);
  }

  @JobHandler(JobName.EscalateAlertToAll)
  async escalateToAll(work: PendingWork, tx: Tx): Promise<void> {
    await this.escalate(tx, work.subjectId, 2);
  }

  /** Level 1: the session's anesthesiologist (everyone when the session has none); level 2: every anesthesiologist. */
  private async escalate(tx: Tx, alertId: string, level: 1 | 2): Promise<void> {
    const m = tx.manager;
    const alert = await m.createQueryBuilder(Alert, 'a').setLock('pessimistic_write').where('a.id = :id', { id: alertId }).getOne();
    if (!alert || alert.status !== 'open' || alert.escalationLevel >= level) return;
    const session = await m.findOneByOrFail(Session, { id: alert.sessionId });
    const anesthesiologists = await m.findBy(User, { clinicId: alert.clinicId, role: 'anesthesiologist', active: true });
    const own =
      level === 1 && session.anesthesiologistUserId ? anesthesiologists.filter((u) => u.id === session.anesthesiologistUserId) : [];
    // The session's anesthesiologist first; when there is none (or no longer active), every anesthesiologist.
    const recipients = own.length ? own : anesthesiologists;
    alert.escalationLevel = level;
    alert.escalatedAt = this.clock.now();
    await m.update(Alert, { id: alert.id }, { escalationLevel: level, escalatedAt: alert.escalatedAt });
    await this.alerts.event(tx, alert, 'escalated', { recipients: recipients.map((u) => u.id) });
    const patient = await m.findOneByOrFail(Patient, { id: alert.patientId });
    const clinic = await m.findOneByOrFail(Clinic, { id: alert.clinicId });
    const mail = escalationEmail({ ...alert, patient, chairLabel: session.chairLabel, timeZone: clinic.timeZone });
    for (const user of recipients)
      await this.outbox.add(tx, { clinicId: alert.clinicId, recipientUserId: user.id, recipientAddress: user.email, ...mail });
    await this.audit.record(tx, {
      action: 'alert.escalate',
      resourceType: 'alert',
      resourceId: alert.id,
      clinicId: alert.clinicId,
      actor: null,
      changes: { level, recipients: recipients.map((u) => u.id) },
    });
  }
}
