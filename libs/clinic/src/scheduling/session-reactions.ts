import { Injectable } from '@nestjs/common';
import type { Tx } from '#platform';
import { OnClinicEvent, type BookingEffects, type ClinicEventPayload } from '../events/index.js';
import { AppointmentRemindersService } from './appointment-reminders.service.js';
import { cancelFutureAppointments, flagFutureAppointments, followSession, linkAppointment } from './appointment-links.js';
import { MaintenanceService } from './maintenance.service.js';
import type { AppointmentStatus } from './scheduling.entity.js';

/** The appointment status that follows a session's new status; statuses not listed leave the appointment alone. */
const APPOINTMENT_FOLLOWS: Readonly<Record<string, AppointmentStatus>> = {
  checked_in: 'checked-in',
  aborted: 'aborted',
  discharged: 'completed',
  cancelled: 'cancelled',
  no_show: 'no-show',
};

/** How scheduling reacts to what happens elsewhere: sessions, consent, outcomes, the end of care. */
@Injectable()
export class SchedulingReactions {
  constructor(
    private readonly maintenance: MaintenanceService,
    private readonly reminders: AppointmentRemindersService,
  ) {}

  /** A session created for an appointment takes it (same patient, not yet linked), else 400 naming `appointmentId`. */
  @OnClinicEvent('SessionOpened')
  async linkAppointment(e: ClinicEventPayload<'SessionOpened'>, tx: Tx): Promise<void> {
    if (e.appointmentId) await linkAppointment(tx.manager, e.clinicId, e.appointmentId, e.patientId, e.sessionId);
  }

  /** The appointment keeps in step with its session; a discharge may complete a series or propose maintenance. */
  @OnClinicEvent('SessionStatusChanged')
  async followSession(e: ClinicEventPayload<'SessionStatusChanged'>, tx: Tx): Promise<void> {
    const status = APPOINTMENT_FOLLOWS[e.to];
    if (!status) return;
    await followSession(tx.manager, e.sessionId, status);
    // An aborted session's discharge leaves its appointment aborted: it completes no series and proposes no maintenance.
    if (e.to === 'discharged' && e.from !== 'aborted')
      await this.maintenance.afterDischarge(tx, e.actor, { id: e.sessionId, clinicId: e.clinicId, patientId: e.patientId }, e.at);
  }

  /** Future bookings are flagged for review; maintenance of a protocol that needs the consent stops (clinical rules, section 7). */
  @OnClinicEvent('ConsentWithdrawn')
  async consentWithdrawn(e: ClinicEventPayload<'ConsentWithdrawn'>, tx: Tx): Promise<BookingEffects> {
    const appointmentsFlagged = await flagFutureAppointments(tx.manager, e.patientId, 'consent-withdrawn', e.at);
    const stoppedSeries = e.protocolKeys.length
      ? await this.maintenance.stop(tx, e.actor, e.patientId, `${e.kind} consent withdrawn`, { protocols: e.protocolKeys })
      : [];
    return { appointmentsFlagged, stoppedSeries };
  }

  @OnClinicEvent('RelapseDetected')
  async relapse(e: ClinicEventPayload<'RelapseDetected'>, tx: Tx): Promise<void> {
    await this.maintenance.bringForward(tx, e.actor, e.patientId, e.signal);
  }

  /** No more maintenance: series stop, proposals are cancelled, future bookings are flagged and cancelled (their chairs freed). */
  @OnClinicEvent('PatientDischargedFromCare')
  async dischargedFromCare(e: ClinicEventPayload<'PatientDischargedFromCare'>, tx: Tx): Promise<BookingEffects> {
    const stoppedSeries = await this.maintenance.stop(tx, e.actor, e.patientId, 'discharged from care', {
      statuses: ['active', 'completed'],
    });
    const appointmentsFlagged = await flagFutureAppointments(tx.manager, e.patientId, 'patient-discharged-from-care', e.at);
    const cancelledAppointments = await cancelFutureAppointments(tx.manager, e.patientId, e.at, {
      by: e.actor.userId,
      reason: `discharged from care: ${e.reason}`,
    });
    for (const id of cancelledAppointments) await this.reminders.cancel(tx, id);
    return { appointmentsFlagged, stoppedSeries, cancelledAppointments };
  }
}
