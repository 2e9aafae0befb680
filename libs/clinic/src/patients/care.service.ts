import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, ErrorCode, TransactionRunner, type Actor } from '#platform';
import { ClinicEventBus } from '../events/index.js';
import { Patient } from './patient.entity.js';
import { PatientsService, type PatientView } from './patients.service.js';

/** The patient's course of care at the clinic as a whole. */
@Injectable()
export class PatientCareService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly events: ClinicEventBus,
  ) {}

  /**
   * Ends the patient's treatment at the clinic: new bookings are refused from now on; what happens
   * to their series and appointments is scheduling's reaction (PatientDischargedFromCare), whose
   * effects are answered and audited with the reason.
   */
  async dischargeFromCare(
    actor: Actor,
    patientId: string,
    reason: string,
  ): Promise<{ stoppedSeries: string[]; flaggedAppointments: number; cancelledAppointments: string[] }> {
    return this.transactions.run(async (tx) => {
      const patient = await this.patients.findInClinic(tx.manager, actor.clinicId, patientId, true);
      if (patient.careStatus === 'discharged')
        throw DomainError.conflict(ErrorCode.AlreadyDischargedFromCare, 'The patient was already discharged from care');
      const now = this.clock.now();
      await tx.manager.update(
        Patient,
        { id: patientId },
        { careStatus: 'discharged', dischargedFromCareAt: now, dischargedFromCareReason: reason.trim() },
      );
      const effects = await this.events.publish(tx, 'PatientDischargedFromCare', {
        clinicId: actor.clinicId,
        actor,
        at: now,
        patientId,
        reason: reason.trim(),
      });
      const stoppedSeries = effects.flatMap((e) => e.stoppedSeries);
      const flaggedAppointments = effects.reduce((n, e) => n + e.appointmentsFlagged, 0);
      const cancelledAppointments = effects.flatMap((e) => e.cancelledAppointments ?? []);
      await this.audit.record(tx, {
        action: 'patient.discharge-from-care',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { reason: reason.trim(), stoppedSeries, flaggedAppointments, cancelledAppointments },
      });
      return { stoppedSeries, flaggedAppointments, cancelledAppointments };
    });
  }

  /**
   * Takes a patient discharged from care back into treatment: sessions and bookings are allowed
   * again. Nothing cancelled at the discharge comes back; the audit keeps the discharge's reason.
   */
  async readmit(actor: Actor, patientId: string, reason: string): Promise<PatientView> {
    return this.transactions.run(async (tx) => {
      const patient = await this.patients.findInClinic(tx.manager, actor.clinicId, patientId, true);
      if (patient.careStatus !== 'discharged')
        throw DomainError.conflict(
          ErrorCode.NotDischargedFromCare,
          'The patient is in care: only a patient discharged from care is readmitted',
        );
      const discharged = {
        dischargedFromCareAt: patient.dischargedFromCareAt?.toISOString(),
        dischargedFromCareReason: patient.dischargedFromCareReason,
      };
      const inCare = { careStatus: 'active' as const, dischargedFromCareAt: null, dischargedFromCareReason: null };
      await tx.manager.update(Patient, { id: patientId }, inCare);
      Object.assign(patient, inCare);
      await this.audit.record(tx, {
        action: 'patient.readmit',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { reason: reason.trim(), ...discharged },
      });
      return this.patients.viewIn(tx.manager, patient);
    });
  }
}
