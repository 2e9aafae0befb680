import { Injectable } from '@nestjs/common';
import { Clock, type Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { Session, VITALS_STATUSES } from '../sessions/index.js';
import { AlertsService } from './alerts.service.js';

/** Suicide risk found by an assessment while the patient is in the clinic: an alert on their session. */
@Injectable()
export class RiskAlerts {
  constructor(
    private readonly clock: Clock,
    private readonly alerts: AlertsService,
  ) {}

  /** Answers true when the risks became alerts (the patient's session is active); the assessment's review task goes to the anesthesiologists either way. */
  @OnClinicEvent('AssessmentRecorded')
  async assessmentRisks(e: ClinicEventPayload<'AssessmentRecorded'>, tx: Tx): Promise<boolean> {
    if (!e.sessionId || e.risks.length === 0) return false;
    const session = await tx.manager.findOneBy(Session, { id: e.sessionId, clinicId: e.clinicId, patientId: e.patientId });
    if (!session || !VITALS_STATUSES.includes(session.status)) return false;
    for (const risk of e.risks)
      await this.alerts.raiseOrAttach(tx, {
        session,
        measure: 'suicide-risk',
        level: risk.level,
        message: risk.message,
        at: this.clock.now(),
        actorUserId: e.actor.userId,
      });
    return true;
  }
}
