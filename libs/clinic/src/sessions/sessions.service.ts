import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  JobName,
  PendingWorkService,
  TransactionRunner,
  User,
  type Actor,
  type RuleProblem,
  type ScheduleWork,
  type Tx,
} from '#platform';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { ConsentService } from '../consent/consent.service.js';
import { DosingService } from '../dosing/dosing.service.js';
import { PatientsService } from '../patients/patients.service.js';
import { ScreeningService } from '../patients/screening.service.js';
import type { ProtocolVersion } from '../protocols/protocol.entity.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { ClinicEventBus } from '../events/clinic-event-bus.js';
import { VitalReading } from '../vitals/vital-reading.entity.js';
import { preSessionProblems } from './pre-session-gate.js';
import { DoseAdministration, Session, SessionEvent, type PreChecks, type StartOverride } from './session.entity.js';
import { nextStatus, occurredAtProblem, type SessionStatus, type SessionVerb } from './session-state.js';

export interface TransitionInput {
  occurredAt?: Date;
  reason?: string;
}

export interface CheckInInput extends TransitionInput {
  anesthesiologistUserId?: string;
  chairLabel?: string;
}

export interface PreChecksInput extends TransitionInput {
  transportHome: PreChecks['transportHome'];
  escortName?: string | null;
  lastFoodAt?: Date | null;
  lastLiquidsAt?: Date | null;
  pregnancyStatus?: PreChecks['pregnancyStatus'];
  cssrsScreener: PreChecks['cssrsScreener'];
  notes?: string | null;
  anesthesiologistUserId?: string;
}

export interface StartInput extends TransitionInput {
  doseMgPerKg?: number;
  doseMg?: number;
  concentrationMgPerMl?: number;
  lotNumber: string;
  overrides?: { code: string; reason: string }[];
}

export interface EndDosingInput extends TransitionInput {
  deliveredDoseMg?: number;
}

export interface DoseChangeInput {
  rateMlPerH: number;
  reason: string;
  occurredAt?: Date;
}

const DRUG = (route: string): 'ketamine' | 'esketamine' => (route === 'intranasal' ? 'esketamine' : 'ketamine');

/** The session lifecycle: each verb one transaction, one audit row, one timeline event. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly consent: ConsentService,
    private readonly screening: ScreeningService,
    private readonly dosing: DosingService,
    private readonly pendingWork: PendingWorkService,
    private readonly assessments: AssessmentsService,
    private readonly events: ClinicEventBus,
  ) {}

  async create(actor: Actor, input: { patientId: string; protocol: string; appointmentId?: string }): Promise<Session> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      await this.patients.findInClinic(m, actor.clinicId, input.patientId).catch(() => {
        throw DomainError.validation([{ field: 'patientId', message: 'no patient with this id in your clinic' }]);
      });
      const protocol = await this.protocols.effective(actor.clinicId, input.protocol, m).catch(() => {
        throw DomainError.validation([{ field: 'protocol', message: `no protocol "${input.protocol}"` }]);
      });
      const session = await m.save(
        m.create(Session, {
          clinicId: actor.clinicId,
          patientId: input.patientId,
          protocolKey: protocol.key,
          protocolVersionId: protocol.id,
          appointmentId: input.appointmentId ?? null,
          status: 'scheduled',
          lastEventAt: now,
        }),
      );
      await this.events.publish(tx, 'SessionOpened', {
        clinicId: actor.clinicId,
        actor,
        at: now,
        sessionId: session.id,
        patientId: input.patientId,
        appointmentId: input.appointmentId ?? null,
      });
      await this.timeline(tx, actor, session, 'create', null, 'scheduled', now, { protocolVersion: protocol.version });
      await this.audit.record(tx, {
        action: 'session.create',
        resourceType: 'session',
        resourceId: session.id,
        changes: { patientId: input.patientId, protocol: protocol.key },
      });
      return session;
    });
  }

  async checkIn(actor: Actor, id: string, input: CheckInInput): Promise<Session> {
    return this.transition(actor, id, 'check-in', input, async (tx, s, at) => {
      const anesthesiologist = await this.anesthesiologist(tx.manager, actor, input.anesthesiologistUserId);
      return {
        changes: {
          checkedInAt: at,
          nurseUserId: actor.role === 'nurse' ? actor.userId : null,
          anesthesiologistUserId: anesthesiologist ?? s.anesthesiologistUserId,
          chairLabel: input.chairLabel ?? s.chairLabel,
        },
        data: { anesthesiologistUserId: anesthesiologist, chairLabel: input.chairLabel ?? null },
      };
    });
  }

  async preChecks(actor: Actor, id: string, input: PreChecksInput): Promise<Session> {
    return this.transition(actor, id, 'pre-checks', input, async (tx, s, at) => {
      const anesthesiologist = await this.anesthesiologist(tx.manager, actor, input.anesthesiologistUserId);
      const preChecks: PreChecks = {
        transportHome: input.transportHome,
        escortName: input.escortName?.trim() || null,
        lastFoodAt: input.lastFoodAt?.toISOString() ?? null,
        lastLiquidsAt: input.lastLiquidsAt?.toISOString() ?? null,
        pregnancyStatus: input.pregnancyStatus ?? null,
        cssrsScreener: input.cssrsScreener,
        notes: input.notes?.trim() || null,
        recordedBy: actor.userId,
        recordedAt: at.toISOString(),
      };
      return { changes: { preChecks, anesthesiologistUserId: anesthesiologist ?? s.anesthesiologistUserId }, data: { ...preChecks } };
    });
  }

  /** The pre-session gate (section 2) and the dose rules; 422 lists every unmet rule at once. */
  async start(actor: Actor, id: string, input: StartInput): Promise<Session> {
    const overrides = input.overrides ?? [];
    if (overrides.length && actor.role !== 'anesthesiologist') throw DomainError.forbidden('Only an anesthesiologist may pass a soft stop');
    return this.transition(actor, id, 'start', input, async (tx, s, at) => {
      const m = tx.manager;
      const patient = await this.patients.findInClinic(m, actor.clinicId, s.patientId);
      const protocol = await this.protocols.effective(actor.clinicId, s.protocolKey, m);
      const plan = await this.dosing.plan(
        m,
        patient,
        protocol,
        { mgPerKg: input.doseMgPerKg, doseMg: input.doseMg, concentrationMgPerMl: input.concentrationMgPerMl },
        at,
        s.id,
      );
      // Consent is judged now, whatever time the start is charted at: a withdrawal is never back-dated around.
      const problems = [...(await this.gate(m, s, protocol, patient.sex, at, this.clock.now())), ...plan.problems];
      const passed: StartOverride[] = [];
      const unmet: RuleProblem[] = [];
      for (const p of problems) {
        const o = overrides.find((x) => x.code === p.code);
        if (o && p.overridable) passed.push({ code: p.code, reason: o.reason.trim(), by: actor.userId });
        else unmet.push(p);
      }
      if (unmet.length) throw DomainError.rulesUnmet(unmet[0].code, 'The session cannot start', unmet);
      const d = plan.dose;
      await m.insert(DoseAdministration, {
        clinicId: s.clinicId,
        sessionId: s.id,
        patientId: s.patientId,
        drug: DRUG(protocol.route),
        route: protocol.route,
        doseMg: d.doseMg,
        lotNumber: input.lotNumber.trim(),
        administeredBy: actor.userId,
        administeredAt: at,
      });
      await this.scheduleOverdue(
        tx,
        s,
        at,
        protocol.vitals.duringDosingEveryMin ?? protocol.vitals.observationEveryMin,
        protocol.vitals.overdueAfterMin,
      );
      if (protocol.observationFrom === 'first-dose') await this.scheduleObservationEnd(tx, s, at, protocol.minObservationMin);
      const checkpoint = protocol.vitals.checkpointsMin[0];
      if (checkpoint !== undefined)
        await this.pendingWork.schedule(tx, {
          kind: JobName.RemsBpCheck,
          subjectId: s.id,
          dueAt: new Date(at.getTime() + checkpoint * 60_000),
          clinicId: s.clinicId,
        });
      return {
        changes: {
          protocolVersionId: protocol.id,
          doseMgPerKg: d.mgPerKg,
          orderedDoseMg: d.orderedDoseMg,
          doseMg: d.doseMg,
          weightKg: d.weightKg,
          concentrationMgPerMl: d.concentrationMgPerMl,
          rateMgPerH: d.rateMgPerH,
          rateMlPerH: d.rateMlPerH,
          durationMin: d.durationMin,
          devices: d.devices,
          startOverrides: passed,
          dosingStartedAt: at,
          // Spravato label: observation counts from the first device.
          observationFrom: protocol.observationFrom === 'first-dose' ? at : null,
        },
        data: { protocolVersion: protocol.version, dose: d, lotNumber: input.lotNumber.trim(), overrides: passed },
      };
    });
  }

  async pause(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'pause', input, () => Promise.resolve({ changes: {}, data: { reason: input.reason } }));
  }

  async resume(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'resume', input, () => Promise.resolve({ changes: {}, data: { reason: input.reason ?? null } }));
  }

  /** Dosing ends into observation; ending an infusion early needs a reason. */
  async endDosing(actor: Actor, id: string, input: EndDosingInput): Promise<Session> {
    return this.transition(actor, id, 'end-dosing', input, async (tx, s, at) => {
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const plannedEnd = s.dosingStartedAt && s.durationMin ? s.dosingStartedAt.getTime() + s.durationMin * 60_000 : null;
      const early = plannedEnd !== null && at.getTime() < plannedEnd - 60_000;
      if (early && !input.reason?.trim())
        throw DomainError.validation([
          { field: 'reason', message: `dosing ends ${Math.round((plannedEnd - at.getTime()) / 60_000)} min early: say why` },
        ]);
      await this.scheduleOverdue(tx, s, at, protocol.vitals.observationEveryMin, protocol.vitals.overdueAfterMin);
      if (!s.observationFrom) await this.scheduleObservationEnd(tx, s, at, protocol.minObservationMin);
      return {
        changes: { dosingEndedAt: at, observationFrom: s.observationFrom ?? at },
        data: { early, reason: input.reason ?? null, deliveredDoseMg: input.deliveredDoseMg ?? null },
      };
    });
  }

  /** Dosing stopped for good; the patient is still observed before discharge. */
  async abort(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'abort', input, async (tx, s, at) => {
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      await this.scheduleOverdue(tx, s, at, protocol.vitals.observationEveryMin, protocol.vitals.overdueAfterMin);
      return {
        changes: { dosingEndedAt: at, observationFrom: s.observationFrom ?? at, endReason: input.reason ?? null },
        data: { reason: input.reason },
      };
    });
  }

  async cancel(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'cancel', input, async (tx, s, at) => {
      await this.pendingWork.cancel(tx, JobName.VitalsOverdue, s.id);
      return { changes: { endedAt: at, endReason: input.reason ?? null }, data: { reason: input.reason } };
    });
  }

  async noShow(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'no-show', input, async () => {
      return { changes: { endedAt: input.occurredAt ?? this.clock.now() }, data: {} };
    });
  }

  /** A pump rate change during dosing, with its reason (recorded for the controlled-substance log). */
  async changeRate(actor: Actor, id: string, input: DoseChangeInput): Promise<Session> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.lock(tx.manager, actor.clinicId, id);
      if (s.status !== 'dosing' && s.status !== 'paused')
        throw DomainError.conflict(ErrorCode.InvalidTransition, `A rate can change only while dosing (the session is ${s.status})`, [
          { code: 'INVALID_TRANSITION', message: s.status },
        ]);
      const at = this.when(input.occurredAt, now, s);
      const before = s.rateMlPerH;
      await tx.manager.update(Session, { id }, { rateMlPerH: input.rateMlPerH, lastEventAt: at });
      s.rateMlPerH = input.rateMlPerH;
      s.lastEventAt = at;
      await this.timeline(tx, actor, s, 'rate-change', s.status, s.status, at, {
        fromRateMlPerH: before,
        toRateMlPerH: input.rateMlPerH,
        reason: input.reason,
      });
      await this.audit.record(tx, {
        action: 'session.rate-change',
        resourceType: 'session',
        resourceId: id,
        changes: { before, after: input.rateMlPerH, reason: input.reason },
      });
      return s;
    });
  }

  /** The session, or 404 when missing or another clinic's. */
  async find(m: EntityManager, clinicId: string, id: string): Promise<Session> {
    const s = await m.findOneBy(Session, { id, clinicId });
    if (!s) throw DomainError.notFound('Session');
    return s;
  }

  async lock(m: EntityManager, clinicId: string, id: string): Promise<Session> {
    const s = await m
      .createQueryBuilder(Session, 's')
      .setLock('pessimistic_write')
      .where('s.id = :id AND s.clinic_id = :clinicId', { id, clinicId })
      .getOne();
    if (!s) throw DomainError.notFound('Session');
    return s;
  }

  /** The next reading is due `everyMin` after `from`; late by more than `graceMin` raises "vitals overdue". */
  async scheduleOverdue(tx: Tx, s: Pick<Session, 'id' | 'clinicId'>, from: Date, everyMin: number, graceMin: number): Promise<void> {
    await this.pendingWork.schedule(tx, overdueWork(s, from, everyMin, graceMin));
  }

  private async scheduleObservationEnd(tx: Tx, s: Session, from: Date, minutes: number): Promise<void> {
    await this.pendingWork.schedule(tx, {
      kind: JobName.ObservationComplete,
      subjectId: s.id,
      dueAt: new Date(from.getTime() + minutes * 60_000),
      clinicId: s.clinicId,
    });
  }

  private async gate(m: EntityManager, s: Session, protocol: ProtocolVersion, sex: string, at: Date, now: Date): Promise<RuleProblem[]> {
    const missing = await this.consent.missingKinds(m, s.clinicId, s.patientId, protocol.requiredConsentKinds, now);
    const rems = protocol.preSession.remsEnrollmentRequired
      ? Boolean(await this.consent.activeConsent(m, s.clinicId, s.patientId, 'esketamine-rems-enrollment', now))
      : true;
    const screening = await this.screening.status(m, s.patientId);
    const baseline = s.baselineReadingId ? await m.findOneBy(VitalReading, { id: s.baselineReadingId }) : null;
    const prescriber = s.anesthesiologistUserId
      ? await m.findOneBy(User, { id: s.anesthesiologistUserId, role: 'anesthesiologist', active: true })
      : null;
    return preSessionProblems({
      now: at,
      rules: protocol.preSession,
      missingConsentKinds: missing,
      remsEnrollmentActive: rems,
      contraindications: screening.absoluteContraindications.filter((c) => protocol.absoluteContraindications.includes(c)),
      unacknowledgedCautions: screening.unacknowledgedCautions,
      baseline: baseline ? { systolic: baseline.systolic, diastolic: baseline.diastolic, measuredAt: baseline.measuredAt } : null,
      preChecks: s.preChecks,
      pregnancyRelevant: sex !== 'male',
      prescriberPresent: Boolean(prescriber),
      cssrsUnreviewed: await this.assessments.unreviewedHighRisk(m, s.patientId),
    });
  }

  /** An anesthesiologist joining the session: the one named, or the caller when they are one. */
  private async anesthesiologist(m: EntityManager, actor: Actor, userId: string | undefined): Promise<string | null> {
    if (userId) {
      const user = await m.findOneBy(User, { id: userId, clinicId: actor.clinicId, role: 'anesthesiologist', active: true });
      if (!user)
        throw DomainError.validation([
          { field: 'anesthesiologistUserId', message: 'no active anesthesiologist of your clinic has this id' },
        ]);
      return user.id;
    }
    return actor.role === 'anesthesiologist' ? actor.userId : null;
  }

  private when(occurredAt: Date | undefined, now: Date, s: Session): Date {
    const at = occurredAt ?? now;
    const problem = occurredAtProblem(at, now, s.lastEventAt);
    if (problem) throw DomainError.validation([{ field: 'occurredAt', message: problem }]);
    return at;
  }

  /**
   * One transition: lock the row, check the lifecycle allows it (409 INVALID_TRANSITION otherwise),
   * apply the verb's rules, then a conditional update, the timeline event and the audit row.
   */
  /** Also used by discharge (observation domain). */
  async transition(
    actor: Actor,
    id: string,
    verb: SessionVerb,
    input: TransitionInput,
    apply: (tx: Tx, s: Session, at: Date) => Promise<{ changes: Partial<Session>; data: Record<string, unknown> }>,
  ): Promise<Session> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.lock(tx.manager, actor.clinicId, id);
      const from = s.status;
      const to = nextStatus(from, verb);
      if (!to)
        throw DomainError.conflict(ErrorCode.InvalidTransition, `Cannot ${verb} a session that is ${from}`, [
          { code: 'INVALID_TRANSITION', message: `${verb} is not allowed from ${from}`, from, verb },
        ]);
      const at = this.when(input.occurredAt, now, s);
      const { changes, data } = await apply(tx, s, at);
      const result = await tx.manager
        .createQueryBuilder()
        .update(Session)
        .set({ ...changes, status: to, lastEventAt: at })
        .where('id = :id AND status = :from', { id, from })
        .execute();
      if (result.affected !== 1)
        throw DomainError.conflict(ErrorCode.InvalidTransition, `The session changed meanwhile; it is no longer ${from}`);
      Object.assign(s, changes, { status: to, lastEventAt: at });
      await this.timeline(tx, actor, s, verb, from, to, at, data);
      await this.events.publish(tx, 'SessionStatusChanged', {
        clinicId: s.clinicId,
        actor,
        at,
        sessionId: s.id,
        patientId: s.patientId,
        verb,
        from,
        to,
      });
      await this.audit.record(tx, {
        action: `session.${verb}`,
        resourceType: 'session',
        resourceId: id,
        changes: { from, to, occurredAt: at.toISOString(), ...data },
      });
      return s;
    });
  }

  private async timeline(
    tx: Tx,
    actor: Actor,
    s: Session,
    type: string,
    from: SessionStatus | null,
    to: SessionStatus | null,
    at: Date,
    data: Record<string, unknown>,
  ): Promise<void> {
    await tx.manager.insert(SessionEvent, {
      clinicId: s.clinicId,
      sessionId: s.id,
      type,
      fromStatus: from,
      toStatus: to,
      occurredAt: at,
      actorUserId: actor.userId,
      data: data as never,
    });
  }
}

/** The "vitals overdue" check of a session: the next reading is due `everyMin` after `from`, late by more than `graceMin`. */
export function overdueWork(s: Pick<Session, 'id' | 'clinicId'>, from: Date, everyMin: number, graceMin: number): ScheduleWork {
  return {
    kind: JobName.VitalsOverdue,
    subjectId: s.id,
    dueAt: new Date(from.getTime() + (everyMin + graceMin) * 60_000),
    clinicId: s.clinicId,
  };
}
