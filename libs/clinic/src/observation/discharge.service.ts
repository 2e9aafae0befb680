import { Injectable } from '@nestjs/common';
import { MoreThanOrEqual, Not, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, ErrorCode, JobName, PendingWorkService, TransactionRunner, type Actor } from '#platform';
import { Alert } from '../alerts/index.js';
import { ProtocolsService, type ProtocolVersion } from '../protocols/index.js';
import { appendSessionEvent, AWAITING_DISCHARGE_STATUSES, SessionsService, type Session } from '../sessions/index.js';
import { VitalReading } from '../vitals/index.js';
import { dischargeProblems, type DischargeChecklist } from './discharge-criteria.js';
import { dischargeVitals } from './discharge-vitals.js';
import { Discharge, ObservationCheck, VitalsAttestation } from './observation.entity.js';
import { RemsService } from './rems.service.js';
import { remsBpRecorded, underRems } from './rems-rules.js';

export interface DischargeInput extends DischargeChecklist {
  notes?: string | null;
  /** Esketamine REMS question: when would the patient have been ready to leave without the 2-hour minimum (minutes)? */
  remsReadyToLeaveMin?: number | null;
  occurredAt?: Date;
}

/** Discharge instructions (Spravato label §17 for driving; practice for alcohol). */
export const DISCHARGE_INSTRUCTIONS = [
  'Do not drive or operate machinery until the next day after a restful sleep.',
  'No alcohol for 24 hours.',
];

/** The session's work that ends with the discharge. */
// The vitals-overdue check is vitals' own: it ends with the discharge (SessionStatusChanged).
const CANCELLED_AT_DISCHARGE = [JobName.ObservationComplete, JobName.RemsBpCheck];

const checklistOf = (input: DischargeInput): DischargeChecklist => ({
  alertAndOriented: input.alertAndOriented,
  walksSteadily: input.walksSteadily,
  nauseaControlled: input.nauseaControlled,
  escortConfirmed: input.escortConfirmed,
  drivingInstructionGiven: input.drivingInstructionGiven,
});

/** Discharge after observation (clinical-rules.md section 4): the anesthesiologist's attestation of vitals, and the discharge itself. */
@Injectable()
export class DischargeService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly pendingWork: PendingWorkService,
    private readonly rems: RemsService,
  ) {}

  /** An anesthesiologist: the latest vitals are out of range but acceptable for discharge. */
  async attestVitals(actor: Actor, sessionId: string, reason: string): Promise<VitalsAttestation> {
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!AWAITING_DISCHARGE_STATUSES.includes(s.status))
        throw DomainError.conflict(ErrorCode.InvalidTransition, `Vitals are attested for discharge; the session is ${s.status}`);
      const latest = await tx.manager.findOne(VitalReading, { where: { sessionId: s.id }, order: { measuredAt: 'DESC' } });
      if (!latest)
        throw DomainError.rulesUnmet(ErrorCode.VitalsStale, 'There are no vitals to attest', [
          { code: 'VITALS_STALE', message: 'record vitals first', overridable: false },
        ]);
      const att = await tx.manager.save(
        tx.manager.create(VitalsAttestation, {
          clinicId: s.clinicId,
          sessionId: s.id,
          readingId: latest.id,
          reason: reason.trim(),
          attestedBy: actor.userId,
        }),
      );
      const changes = { readingId: latest.id, reason: att.reason };
      await appendSessionEvent(tx, {
        session: s,
        type: 'vitals-attested',
        from: s.status,
        to: s.status,
        at: this.clock.now(),
        actorUserId: actor.userId,
        data: changes,
      });
      await this.audit.record(tx, { action: 'session.attest-vitals', resourceType: 'session', resourceId: s.id, changes });
      return att;
    });
  }

  /**
   * Discharge: every criterion of section 4, or 422 listing every one unmet. One transaction with
   * the session's transition and its audit row; SessionStatusChanged then completes the
   * appointment and the series and plans the check-in call.
   */
  async discharge(actor: Actor, sessionId: string, input: DischargeInput): Promise<Session> {
    return this.sessions.transition(actor, sessionId, 'discharge', { occurredAt: input.occurredAt }, async (tx, s, at) => {
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const checklist = checklistOf(input);
      const attestationId = await this.assertDischargeable(tx.manager, s, protocol, at, checklist);
      const totalMin = s.dosingStartedAt ? Math.round((at.getTime() - s.dosingStartedAt.getTime()) / 60_000) : 0;
      const remsForm = underRems(protocol)
        ? await this.rems.completeForm(tx.manager, s, protocol, at, input.remsReadyToLeaveMin ?? null)
        : null;
      await tx.manager.insert(Discharge, {
        sessionId: s.id,
        clinicId: s.clinicId,
        dischargedAt: at,
        dischargedBy: actor.userId,
        totalMin,
        checklist: { ...checklist, notes: input.notes?.trim() || null },
        instructions: DISCHARGE_INSTRUCTIONS,
        vitalsAttestationId: attestationId,
        remsForm: remsForm as never,
      });
      for (const kind of CANCELLED_AT_DISCHARGE) await this.pendingWork.cancel(tx, kind, s.id);
      if (remsForm) await this.rems.followUpForm(tx, s, at);
      return { changes: { endedAt: at }, data: { totalMin, instructions: DISCHARGE_INSTRUCTIONS, attestationId } };
    });
  }

  /** Gathers the facts of section 4 and throws 422 with every unmet criterion; returns the attestation that covers the vitals. */
  private async assertDischargeable(
    m: EntityManager,
    s: Session,
    protocol: ProtocolVersion,
    at: Date,
    checklist: DischargeChecklist,
  ): Promise<string | null> {
    const readings = await m.find(VitalReading, { where: { sessionId: s.id }, order: { measuredAt: 'ASC' } });
    const vitals = dischargeVitals(readings, s, at, protocol.vitals.dischargeMaxAgeMin);
    const attestation = vitals.breachRecordedAt ? await this.attestationSince(m, s.id, vitals.breachRecordedAt) : null;
    // Like the readings, only a check made after the end of dosing says whether dissociation has resolved.
    const lastCheck = s.dosingEndedAt
      ? await m.findOne(ObservationCheck, {
          where: { sessionId: s.id, checkedAt: MoreThanOrEqual(s.dosingEndedAt) },
          order: { checkedAt: 'DESC' },
        })
      : null;
    const problems = dischargeProblems({
      now: at,
      observationFrom: s.observationFrom,
      minObservationMin: protocol.minObservationMin,
      vitalsMaxAgeMin: protocol.vitals.dischargeMaxAgeMin,
      latestReading: vitals.latestReading,
      vitalsAttested: Boolean(attestation),
      unresolvedAlerts: await m.countBy(Alert, { sessionId: s.id, status: Not('resolved') }),
      preDoseMoaas: vitals.preDoseMoaas,
      latestMoaas: vitals.latestMoaas,
      dissociation: lastCheck?.dissociation ?? null,
      checklist,
      remsBp: underRems(protocol) ? remsBpRecorded(readings, s.dosingStartedAt, protocol.vitals, at) : null,
    });
    if (problems.length) throw DomainError.firstRuleUnmet('The patient cannot be discharged yet', problems);
    return attestation?.id ?? null;
  }

  /** The latest attestation made after the breaching reading was recorded. */
  private attestationSince(m: EntityManager, sessionId: string, after: Date): Promise<VitalsAttestation | null> {
    return m
      .createQueryBuilder(VitalsAttestation, 'v')
      .where('v.session_id = :sid AND v.attested_at >= :after', { sid: sessionId, after })
      .orderBy('v.attested_at', 'DESC')
      .getOne();
  }
}
