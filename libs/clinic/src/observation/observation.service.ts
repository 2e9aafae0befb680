import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  JobHandler,
  JobName,
  NotificationOutbox,
  PendingWorkService,
  TransactionRunner,
  User,
  type Actor,
  type PendingWork,
  type Tx,
} from '#platform';
import { Alert } from '../alerts/alert.entity.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { ConsentService } from '../consent/consent.service.js';
import { FollowUpsService } from '../follow-ups/follow-ups.service.js';
import { Patient } from '../patients/patient.entity.js';
import { INTERACTING_CLASSES } from '../patients/screening-items.js';
import { PatientMedication } from '../patients/screening.entity.js';
import type { ProtocolVersion } from '../protocols/protocol.entity.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { DoseAdministration, Session, SessionEvent } from '../sessions/session.entity.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ClinicSettingsService } from '../settings/clinic-settings.service.js';
import { VitalReading } from '../vitals/vital-reading.entity.js';
import { dischargeProblems, type DischargeChecklist } from './discharge-criteria.js';
import { AdverseEvent, Discharge, ObservationCheck, VitalsAttestation } from './observation.entity.js';

export interface NewObservationCheck {
  checkedAt?: Date;
  dissociation: 'resolved' | 'present';
  cadss6Total?: number | null;
  nausea?: ObservationCheck['nausea'];
  oriented?: boolean | null;
  gait?: ObservationCheck['gait'];
  note?: string | null;
}

export interface NewAdverseEvent {
  kind: string;
  severity: AdverseEvent['severity'];
  onsetAt: Date;
  actionTaken: string;
  outcome: AdverseEvent['outcome'];
}

export interface DischargeInput extends DischargeChecklist {
  notes?: string | null;
  /** Esketamine REMS question: when would the patient have been ready to leave without the 2-hour minimum (minutes)? */
  remsReadyToLeaveMin?: number | null;
  occurredAt?: Date;
}

/** Adverse events the REMS Patient Monitoring Form asks about (sedation, dissociation, respiratory depression, BP). */
export const REMS_EVENT_KINDS = ['sedation', 'dissociation', 'respiratory-depression', 'blood-pressure-increase'];
export const ADVERSE_EVENT_KINDS = [
  ...REMS_EVENT_KINDS,
  'nausea-vomiting',
  'anxiety',
  'headache',
  'dizziness',
  'allergic-reaction',
  'other',
];

/** Discharge instructions (Spravato label §17 for driving; practice for alcohol). */
export const DISCHARGE_INSTRUCTIONS = [
  'Do not drive or operate machinery until the next day after a restful sleep.',
  'No alcohol for 24 hours.',
];

const hasBp = (r: VitalReading) => r.systolic !== null && r.diastolic !== null;

/** A blood pressure within the protocol's window around its checkpoint (esketamine: 40 min after the first device, label). */
const checkpointBp = (s: Pick<Session, 'dosingStartedAt'>, protocol: ProtocolVersion) => {
  const checkpoint = protocol.vitals.checkpointsMin[0];
  const start = s.dosingStartedAt?.getTime();
  const w = protocol.vitals.checkpointWindowMin;
  return (r: VitalReading) =>
    checkpoint !== undefined &&
    start !== undefined &&
    hasBp(r) &&
    r.measuredAt.getTime() >= start + (checkpoint - w.before) * 60_000 &&
    r.measuredAt.getTime() <= start + (checkpoint + w.after) * 60_000;
};

/** Observation after dosing, adverse events, discharge and the esketamine REMS form (clinical-rules.md section 4). */
@Injectable()
export class ObservationService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly alerts: AlertsService,
    private readonly consent: ConsentService,
    private readonly followUps: FollowUpsService,
    private readonly pendingWork: PendingWorkService,
    private readonly outbox: NotificationOutbox,
    private readonly settings: ClinicSettingsService,
  ) {}

  async check(actor: Actor, sessionId: string, input: NewObservationCheck): Promise<ObservationCheck> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!['dosing', 'paused', 'observation', 'aborted'].includes(s.status))
        throw DomainError.conflict(
          ErrorCode.InvalidTransition,
          `Observation checks are recorded from the start of dosing until discharge; the session is ${s.status}`,
        );
      const at = input.checkedAt ?? now;
      if (at.getTime() > now.getTime() + 60_000 || at.getTime() < now.getTime() - 15 * 60_000)
        throw DomainError.validation([{ field: 'checkedAt', message: 'must be within the last 15 minutes' }]);
      const check = await tx.manager.save(
        tx.manager.create(ObservationCheck, {
          clinicId: s.clinicId,
          sessionId: s.id,
          checkedAt: at,
          dissociation: input.dissociation,
          cadss6Total: input.cadss6Total ?? null,
          nausea: input.nausea ?? null,
          oriented: input.oriented ?? null,
          gait: input.gait ?? null,
          note: input.note?.trim() || null,
          recordedBy: actor.userId,
        }),
      );
      await tx.manager.insert(SessionEvent, {
        clinicId: s.clinicId,
        sessionId: s.id,
        type: 'observation-check',
        fromStatus: s.status,
        toStatus: s.status,
        occurredAt: at,
        actorUserId: actor.userId,
        data: {
          checkId: check.id,
          dissociation: check.dissociation,
          cadss6Total: check.cadss6Total,
          nausea: check.nausea,
          oriented: check.oriented,
          gait: check.gait,
          note: check.note,
        } as never,
      });
      await this.audit.record(tx, {
        action: 'session.observation-check',
        resourceType: 'session',
        resourceId: s.id,
        changes: { checkId: check.id, dissociation: check.dissociation },
      });
      return check;
    });
  }

  async adverseEvent(actor: Actor, sessionId: string, input: NewAdverseEvent): Promise<AdverseEvent> {
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!s.dosingStartedAt) throw DomainError.conflict(ErrorCode.InvalidTransition, 'Adverse events are recorded during or after dosing');
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const event = await tx.manager.save(
        tx.manager.create(AdverseEvent, {
          clinicId: s.clinicId,
          sessionId: s.id,
          kind: input.kind,
          severity: input.severity,
          onsetAt: input.onsetAt,
          actionTaken: input.actionTaken.trim(),
          outcome: input.outcome,
          remsReportable: protocol.route === 'intranasal' && REMS_EVENT_KINDS.includes(input.kind),
          recordedBy: actor.userId,
        }),
      );
      await tx.manager.insert(SessionEvent, {
        clinicId: s.clinicId,
        sessionId: s.id,
        type: 'adverse-event',
        fromStatus: s.status,
        toStatus: s.status,
        occurredAt: this.clock.now(),
        actorUserId: actor.userId,
        data: { adverseEventId: event.id, kind: event.kind, severity: event.severity, remsReportable: event.remsReportable } as never,
      });
      await this.audit.record(tx, {
        action: 'session.adverse-event',
        resourceType: 'session',
        resourceId: s.id,
        changes: { ...input, remsReportable: event.remsReportable },
      });
      return event;
    });
  }

  /** An anesthesiologist: the latest vitals are out of range but acceptable for discharge. */
  async attestVitals(actor: Actor, sessionId: string, reason: string): Promise<VitalsAttestation> {
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (s.status !== 'observation' && s.status !== 'aborted')
        throw DomainError.conflict(ErrorCode.InvalidTransition, `Vitals are attested for discharge; the session is ${s.status}`);
      const latest = await this.latestReading(tx.manager, s.id);
      if (!latest)
        throw DomainError.rulesUnmet('VITALS_STALE', 'There are no vitals to attest', [
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
      await tx.manager.insert(SessionEvent, {
        clinicId: s.clinicId,
        sessionId: s.id,
        type: 'vitals-attested',
        fromStatus: s.status,
        toStatus: s.status,
        occurredAt: this.clock.now(),
        actorUserId: actor.userId,
        data: { readingId: latest.id, reason: att.reason } as never,
      });
      await this.audit.record(tx, {
        action: 'session.attest-vitals',
        resourceType: 'session',
        resourceId: s.id,
        changes: { readingId: latest.id, reason: att.reason },
      });
      return att;
    });
  }

  /** Discharge: every criterion of section 4, or 422 listing every one unmet. */
  async discharge(actor: Actor, sessionId: string, input: DischargeInput) {
    return this.sessions.transition(actor, sessionId, 'discharge', { occurredAt: input.occurredAt }, async (tx, s, at) => {
      const m = tx.manager;
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const readings = await m.find(VitalReading, { where: { sessionId: s.id }, order: { measuredAt: 'ASC' } });
      // Staleness is judged on the latest blood pressure; range on every reading of the window, so a
      // partial reading (SpO2 alone) cannot hide a high blood pressure taken minutes before.
      const latest = [...readings].reverse().find((r) => r.systolic !== null) ?? null;
      const windowStart = at.getTime() - protocol.vitals.dischargeMaxAgeMin * 60_000;
      const recent = readings.filter((r) => r.phase !== 'pre-dose' && r.measuredAt.getTime() >= windowStart);
      const breaching = [...recent].reverse().find((r) => r.breachLevel !== 'none') ?? null;
      const worst = recent.some((r) => r.breachLevel === 'critical') ? 'critical' : breaching ? 'warning' : 'none';
      const attestation = breaching
        ? await m
            .createQueryBuilder(VitalsAttestation, 'v')
            .where('v.session_id = :sid AND v.attested_at >= :after', { sid: s.id, after: breaching.recordedAt })
            .orderBy('v.attested_at', 'DESC')
            .getOne()
        : null;
      const unresolved = await m.countBy(Alert, { sessionId: s.id, status: Not('resolved') });
      const preDose = readings.filter((r) => r.phase === 'pre-dose');
      const baseline = readings.find((r) => r.id === s.baselineReadingId);
      const preDoseMoaas = baseline?.moaas ?? [...preDose].reverse().find((r) => r.moaas !== null)?.moaas ?? null;
      const latestMoaas = [...readings].reverse().find((r) => r.moaas !== null && r.phase !== 'pre-dose')?.moaas ?? null;
      const lastCheck = await m.findOne(ObservationCheck, { where: { sessionId: s.id }, order: { checkedAt: 'DESC' } });
      const remsBp = protocol.route === 'intranasal' ? this.remsBp(readings, s, protocol, at) : null;
      const checklist: DischargeChecklist = {
        alertAndOriented: input.alertAndOriented,
        walksSteadily: input.walksSteadily,
        nauseaControlled: input.nauseaControlled,
        escortConfirmed: input.escortConfirmed,
        drivingInstructionGiven: input.drivingInstructionGiven,
      };
      const problems = dischargeProblems({
        now: at,
        observationFrom: s.observationFrom,
        minObservationMin: protocol.minObservationMin,
        vitalsMaxAgeMin: protocol.vitals.dischargeMaxAgeMin,
        latestReading: latest ? { measuredAt: latest.measuredAt, breachLevel: worst } : null,
        vitalsAttested: Boolean(attestation),
        unresolvedAlerts: unresolved,
        preDoseMoaas,
        latestMoaas,
        dissociation: lastCheck?.dissociation ?? null,
        checklist,
        remsBp,
      });
      if (problems.length) throw DomainError.rulesUnmet(problems[0].code, 'The patient cannot be discharged yet', problems);
      const totalMin = s.dosingStartedAt ? Math.round((at.getTime() - s.dosingStartedAt.getTime()) / 60_000) : 0;
      const remsForm =
        protocol.route === 'intranasal' ? await this.remsForm(m, s, protocol, at, input.remsReadyToLeaveMin ?? null, true) : null;
      await m.insert(Discharge, {
        sessionId: s.id,
        clinicId: s.clinicId,
        dischargedAt: at,
        dischargedBy: actor.userId,
        totalMin,
        checklist: { ...checklist, notes: input.notes?.trim() || null },
        instructions: DISCHARGE_INSTRUCTIONS,
        vitalsAttestationId: attestation?.id ?? null,
        remsForm: remsForm as never,
      });
      for (const kind of [JobName.VitalsOverdue, JobName.ObservationComplete, JobName.RemsBpCheck])
        await this.pendingWork.cancel(tx, kind, s.id);
      // The appointment, the series and the check-in call follow the discharge (SessionStatusChanged).
      if (remsForm) {
        const settings = await this.settings.forClinic(s.clinicId, m);
        const hour = 60 * 60_000;
        // Spravato REMS: the Patient Monitoring Form is due within 7 days of the session; escalated at day 5.
        await this.followUps.create(tx, {
          clinicId: s.clinicId,
          patientId: s.patientId,
          kind: 'rems-monitoring-form',
          subjectType: 'session',
          subjectId: s.id,
          title: 'Submit the Spravato REMS Patient Monitoring Form',
          dueAt: new Date(at.getTime() + settings.remsFormDueDays * 24 * hour),
          escalateAt: new Date(at.getTime() + settings.remsFormEscalateDays * 24 * hour),
          assigneeRole: 'nurse',
        });
      }
      return { changes: { endedAt: at }, data: { totalMin, instructions: DISCHARGE_INSTRUCTIONS, attestationId: attestation?.id ?? null } };
    });
  }

  /** The REMS Patient Monitoring Form of an esketamine session: as stored at discharge, or a draft before. */
  async remsFormFor(actor: Actor, sessionId: string): Promise<Record<string, unknown>> {
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.find(tx.manager, actor.clinicId, sessionId);
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      if (protocol.route !== 'intranasal')
        throw DomainError.conflict('NOT_ESKETAMINE', 'Only esketamine sessions have a REMS Patient Monitoring Form');
      await this.audit.record(tx, { action: 'session.rems-form.read', resourceType: 'session', resourceId: s.id });
      const discharge = await tx.manager.findOneBy(Discharge, { sessionId: s.id });
      if (discharge?.remsForm) return { status: 'complete', ...discharge.remsForm };
      return { status: 'draft', ...(await this.remsForm(tx.manager, s, protocol, this.clock.now(), null, false)) };
    });
  }

  @JobHandler(JobName.ObservationComplete)
  async observationComplete(work: PendingWork, tx: Tx): Promise<void> {
    const s = await tx.manager.findOneBy(Session, { id: work.subjectId });
    if (!s || !['observation', 'aborted', 'dosing', 'paused'].includes(s.status)) return;
    const message = 'The minimum observation has passed: discharge may be assessed.';
    await this.alerts.sessionEvent(tx, s.clinicId, s.id, 'observation-complete', { message, patientId: s.patientId });
    await tx.manager.insert(SessionEvent, {
      clinicId: s.clinicId,
      sessionId: s.id,
      type: 'observation-complete',
      fromStatus: s.status,
      toStatus: s.status,
      occurredAt: this.clock.now(),
      actorUserId: null,
      data: { message } as never,
    });
    const nurse = s.nurseUserId ? await tx.manager.findOneBy(User, { id: s.nurseUserId, active: true }) : null;
    if (nurse)
      await this.outbox.add(tx, {
        clinicId: s.clinicId,
        recipientUserId: nurse.id,
        recipientAddress: nurse.email,
        subject: 'Vigil: discharge may be assessed',
        body: `${message} Session ${s.id}${s.chairLabel ? `, ${s.chairLabel}` : ''}.`,
      });
  }

  /** Spravato label: blood pressure at 40 minutes after the first device; missing, it raises a warning. */
  @JobHandler(JobName.RemsBpCheck)
  async remsBpCheck(work: PendingWork, tx: Tx): Promise<void> {
    const s = await tx.manager.findOneBy(Session, { id: work.subjectId });
    if (!s?.dosingStartedAt || !['dosing', 'paused', 'observation', 'aborted'].includes(s.status)) return;
    const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
    const checkpoint = protocol.vitals.checkpointsMin[0];
    if (checkpoint === undefined) return;
    const from = new Date(s.dosingStartedAt.getTime() + (checkpoint - protocol.vitals.checkpointWindowMin.before) * 60_000);
    const taken = await tx.manager
      .createQueryBuilder(VitalReading, 'v')
      .where('v.session_id = :id AND v.systolic IS NOT NULL AND v.measured_at >= :from', { id: s.id, from })
      .getExists();
    if (taken) return;
    await this.alerts.raiseOrAttach(tx, {
      session: s,
      measure: 'rems-40-min-bp',
      level: 'warning',
      message: `Blood pressure ${checkpoint} minutes after the first device is missing (Spravato label)`,
      at: this.clock.now(),
    });
  }

  private remsBp(readings: VitalReading[], s: Session, protocol: ProtocolVersion, at: Date) {
    const atCheckpoint = checkpointBp(s, protocol);
    return {
      preDose: readings.some((r) => r.phase === 'pre-dose' && hasBp(r)),
      at40Min: readings.some(atCheckpoint),
      beforeDischarge: readings.some(
        (r) => hasBp(r) && r.phase !== 'pre-dose' && at.getTime() - r.measuredAt.getTime() <= protocol.vitals.dischargeMaxAgeMin * 60_000,
      ),
    };
  }

  /** The fields of the Spravato REMS Patient Monitoring Form (clinical-rules.md section 4). */
  private async remsForm(
    m: EntityManager,
    s: Session,
    protocol: ProtocolVersion,
    at: Date,
    readyToLeaveMin: number | null,
    complete: boolean,
  ): Promise<Record<string, unknown>> {
    const patient = await m.findOneByOrFail(Patient, { id: s.patientId });
    const clinic = await m.findOneByOrFail(Clinic, { id: s.clinicId });
    const readings = await m.find(VitalReading, { where: { sessionId: s.id }, order: { measuredAt: 'ASC' } });
    const bp = (r: VitalReading | undefined) =>
      r ? { systolic: r.systolic, diastolic: r.diastolic, measuredAt: r.measuredAt.toISOString() } : null;
    const preDoseBp = [...readings].reverse().find((r) => r.phase === 'pre-dose' && hasBp(r));
    const bp40 = readings.find(checkpointBp(s, protocol));
    const lastBp = [...readings].reverse().find((r) => hasBp(r) && r.phase !== 'pre-dose');
    const earlier = await m.count(Session, {
      where: { patientId: s.patientId, protocolKey: s.protocolKey, id: Not(s.id), status: In(['observation', 'aborted', 'discharged']) },
    });
    const administration = await m.findOneBy(DoseAdministration, { sessionId: s.id });
    const meds = await m.find(PatientMedication, { where: { patientId: s.patientId, removedAt: IsNull() } });
    const interacting = meds.filter((x) => INTERACTING_CLASSES.includes(x.drugClass));
    const events = await m.findBy(AdverseEvent, { sessionId: s.id });
    const checks = await m.findBy(ObservationCheck, { sessionId: s.id });
    const monitor = await m.findOneBy(User, { id: s.nurseUserId ?? s.anesthesiologistUserId ?? '00000000-0000-0000-0000-000000000000' });
    const baseline = readings.find((r) => r.id === s.baselineReadingId);
    const enrolled = Boolean(await this.consent.activeConsent(m, s.clinicId, s.patientId, 'esketamine-rems-enrollment', at));
    return {
      patient: { firstName: patient.firstName, lastName: patient.lastName, dateOfBirth: patient.dateOfBirth, sex: patient.sex },
      firstTreatment: earlier === 0,
      remsEnrolled: enrolled,
      concomitantMedications: { any: interacting.length > 0, names: interacting.map((x) => `${x.name} (${x.drugClass})`) },
      monitoringProvider: monitor ? { name: monitor.name, email: monitor.email } : null,
      setting: { name: clinic.name },
      treatmentDate: s.dosingStartedAt?.toISOString().slice(0, 10) ?? null,
      doseMg: s.doseMg,
      lotNumber: administration?.lotNumber ?? null,
      durationMin: complete && s.dosingStartedAt ? Math.round((at.getTime() - s.dosingStartedAt.getTime()) / 60_000) : null,
      readyToLeaveMin: readyToLeaveMin,
      vitalsAcceptableBeforeAdministration: baseline
        ? baseline.breachLevel === 'none' && !s.startOverrides.some((o) => o.code === 'BASELINE_BP_HIGH')
        : null,
      vitalsAcceptableBeforeCompletion: lastBp ? lastBp.breachLevel === 'none' : null,
      bloodPressure: { beforeAdministration: bp(preDoseBp), at40Min: bp(bp40), beforeCompletion: bp(lastBp) },
      sedation: readings.some((r) => r.breaches.some((b) => b.measure === 'moaas')) || events.some((e) => e.kind === 'sedation'),
      dissociation: checks.some((c) => c.dissociation === 'present') || events.some((e) => e.kind === 'dissociation'),
      respiratoryDepression:
        readings.some((r) => r.breaches.some((b) => b.measure === 'spo2' || (b.measure === 'respiratoryRate' && b.rule === 'low'))) ||
        events.some((e) => e.kind === 'respiratory-depression'),
      adverseEvents: events.map((e) => ({
        kind: e.kind,
        severity: e.severity,
        onsetAt: e.onsetAt.toISOString(),
        actionTaken: e.actionTaken,
        outcome: e.outcome,
        remsReportable: e.remsReportable,
      })),
    };
  }

  private latestReading(m: EntityManager, sessionId: string): Promise<VitalReading | null> {
    return m.findOne(VitalReading, { where: { sessionId }, order: { measuredAt: 'DESC' } });
  }
}
