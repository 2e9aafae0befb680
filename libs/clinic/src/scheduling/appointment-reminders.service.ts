import { Injectable } from '@nestjs/common';
import {
  Clinic,
  Clock,
  JobHandler,
  JobName,
  localParts,
  NotificationOutbox,
  PendingWorkService,
  type PendingWork,
  type Tx,
} from '#platform';
import { FollowUpsService } from '../follow-ups/index.js';
import { Patient } from '../patients/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { Appointment } from './scheduling.entity.js';

/** The patient's reminder of a confirmed appointment (issue 6): scheduled as pending work with the booking, sent when due. */
@Injectable()
export class AppointmentRemindersService {
  constructor(
    private readonly clock: Clock,
    private readonly settings: ClinicSettingsService,
    private readonly pendingWork: PendingWorkService,
    private readonly outbox: NotificationOutbox,
    private readonly followUps: FollowUpsService,
  ) {}

  /**
   * A confirmed appointment: the patient's reminder at the clinic's lead time (default 24 h); one
   * booked at shorter notice is reminded at once (nothing for an appointment already begun).
   */
  async schedule(tx: Tx, a: Appointment): Promise<void> {
    const settings = await this.settings.forClinic(a.clinicId, tx.manager);
    const now = this.clock.now().getTime();
    if (a.startsAt.getTime() <= now) return;
    const dueAt = new Date(Math.max(now, a.startsAt.getTime() - settings.appointmentReminderHours * 3600_000));
    await this.pendingWork.schedule(tx, { kind: JobName.AppointmentReminder, subjectId: a.id, dueAt, clinicId: a.clinicId });
  }

  /** The appointment no longer takes place at that time (cancelled, no-show, moved). */
  async cancel(tx: Tx, appointmentId: string): Promise<void> {
    await this.pendingWork.cancel(tx, JobName.AppointmentReminder, appointmentId);
  }

  /**
   * The reminder: only for a confirmed appointment still ahead, only if the patient agreed to be
   * contacted, the way they chose: an email in the outbox, or a call task for the front desk.
   */
  @JobHandler(JobName.AppointmentReminder)
  async remind(work: PendingWork, tx: Tx): Promise<void> {
    const m = tx.manager;
    const a = await m.findOneBy(Appointment, { id: work.subjectId });
    if (!a || a.status !== 'booked' || a.startsAt.getTime() <= this.clock.now().getTime()) return;
    const patient = await m.findOneByOrFail(Patient, { id: a.patientId });
    if (!patient.contactConsent || patient.contactPreference === 'none' || patient.careStatus !== 'active') return;
    const clinic = await m.findOneByOrFail(Clinic, { id: a.clinicId });
    const when = localParts(a.startsAt, clinic.timeZone);
    if (patient.contactPreference === 'email' && patient.email) {
      await this.outbox.add(tx, {
        clinicId: a.clinicId,
        recipientAddress: patient.email,
        subject: `Your appointment at ${clinic.name} on ${when.date} at ${when.time}`,
        body: [
          `Dear ${patient.firstName},`,
          `this is a reminder of your treatment appointment at ${clinic.name} on ${when.date} at ${when.time} (${clinic.timeZone}).`,
          'Please arrange for an adult to take you home afterwards: you must not drive until the next day, after a night’s sleep.',
          'If you cannot come, please call the clinic.',
        ].join('\n\n'),
      });
    } else if (patient.contactPreference === 'phone' && patient.phone) {
      await this.followUps.create(tx, {
        clinicId: a.clinicId,
        patientId: a.patientId,
        kind: 'appointment-reminder-call',
        subjectType: 'appointment',
        subjectId: a.id,
        title: `Call ${patient.firstName} ${patient.lastName} (${patient.phone}) about the appointment on ${when.date} at ${when.time}`,
        dueAt: this.clock.now(),
        assigneeRole: 'admin',
      });
    }
  }
}
