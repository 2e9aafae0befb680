import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, type Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { Patient } from './patient.entity.js';

/** Session verbs that treat the patient (the sessions domain's names): refused once care has ended. */
const TREATING_VERBS: readonly string[] = ['check-in', 'start'];

/**
 * A patient discharged from care is not treated: a new session, a check-in or a start is refused
 * (422 PATIENT_DISCHARGED_FROM_CARE) until the patient is readmitted (clinical-rules.md section 7).
 * Sessions publish inside their transaction, so the refusal rolls the change back.
 */
@Injectable()
export class CareGuard {
  @OnClinicEvent('SessionOpened')
  async sessionOpened(e: ClinicEventPayload<'SessionOpened'>, tx: Tx): Promise<void> {
    await this.assertInCare(tx, e.clinicId, e.patientId);
  }

  @OnClinicEvent('SessionStatusChanged')
  async sessionMoved(e: ClinicEventPayload<'SessionStatusChanged'>, tx: Tx): Promise<void> {
    if (TREATING_VERBS.includes(e.verb)) await this.assertInCare(tx, e.clinicId, e.patientId);
  }

  private async assertInCare(tx: Tx, clinicId: string, patientId: string): Promise<void> {
    // Read under a share lock: a discharge from care (which locks the row) waits for this session, or this for it.
    const patient = await tx.manager
      .createQueryBuilder(Patient, 'p')
      .where('p.id = :patientId AND p.clinic_id = :clinicId', { patientId, clinicId })
      .setLock('pessimistic_read')
      .getOne();
    if (patient?.careStatus !== 'discharged') return;
    throw DomainError.rulesUnmet(ErrorCode.PatientDischargedFromCare, 'The patient was discharged from care', [
      {
        code: ErrorCode.PatientDischargedFromCare,
        message: `discharged from care: ${patient.dischargedFromCareReason ?? ''}`,
        overridable: false,
      },
    ]);
  }
}
