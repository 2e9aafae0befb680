import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  foundOrNull,
  PendingWorkService,
  TransactionRunner,
  User,
  type Actor,
  type FieldProblem,
  type Tx,
} from '#platform';
import { ClinicEventBus } from '../events/index.js';
import type { DoseReconciliation } from '../dosing/index.js';
import { PatientsService } from '../patients/index.js';
import { ProtocolsService, type ProtocolVersion } from '../protocols/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import type { CheckInInput, EndDosingInput, PreChecksInput, TransitionInput } from './session-inputs.js';
import { Session, type PreChecks } from './session.entity.js';
import { nextStatus, occurredAtProblem, type SessionVerb } from './session-state.js';
import { deliveredDose } from './dose-delivery.js';
import { chairAtCheckIn } from './session-chair.js';
import { appendSessionEvent } from './session-timeline.js';
import { observationEndWork } from './session-work.js';

/** What a verb changes on the session row, and what its timeline event and audit row record. */
export type TransitionEffect = { changes: Partial<Session>; data: Record<string, unknown> };

/** The session lifecycle: each verb one transaction, one audit row, one timeline event (the start: SessionStartService). */
@Injectable()
export class SessionsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly pendingWork: PendingWorkService,
    private readonly events: ClinicEventBus,
    private readonly settings: ClinicSettingsService,
  ) {}

  /** A new session's patient and protocol, each a problem of its field when the clinic has no such one; fields not given are not judged. */
  async creationProblems(actor: Actor, input: { patientId?: string; protocol?: string }): Promise<FieldProblem[]> {
    return this.transactions.run(async (tx) => (await this.named(tx.manager, actor, input)).problems);
  }

  private async named(m: EntityManager, actor: Actor, input: { patientId?: string; protocol?: string }) {
    const problems: FieldProblem[] = [];
    if (input.patientId !== undefined && !(await foundOrNull(this.patients.findInClinic(m, actor.clinicId, input.patientId))))
      problems.push({ field: 'patientId', message: 'no patient with this id in your clinic' });
    const protocol = input.protocol === undefined ? null : await foundOrNull(this.protocols.effective(actor.clinicId, input.protocol, m));
    if (input.protocol !== undefined && !protocol) problems.push({ field: 'protocol', message: `no protocol "${input.protocol}"` });
    return { problems, protocol };
  }

  async create(actor: Actor, input: { patientId: string; protocol: string; appointmentId?: string }): Promise<Session> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const { problems, protocol } = await this.named(m, actor, input);
      if (problems.length || !protocol) throw DomainError.validation(problems);
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
      await appendSessionEvent(tx, {
        session,
        type: 'create',
        from: null,
        to: 'scheduled',
        at: now,
        actorUserId: actor.userId,
        data: { protocolVersion: protocol.version },
      });
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
      const chair = await chairAtCheckIn(tx.manager, s, input);
      return {
        changes: {
          checkedInAt: at,
          nurseUserId: actor.role === 'nurse' ? actor.userId : null,
          anesthesiologistUserId: anesthesiologist ?? s.anesthesiologistUserId,
          ...chair,
        },
        data: { anesthesiologistUserId: anesthesiologist, ...chair },
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

  async pause(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'pause', input, () => Promise.resolve({ changes: {}, data: { reason: input.reason } }));
  }

  async resume(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'resume', input, () => Promise.resolve({ changes: {}, data: { reason: input.reason ?? null } }));
  }

  /**
   * Dosing ends into observation: the delivered dose is reconciled with the order (section 8); ending
   * an infusion early, or a delivered dose beyond the tolerance, needs a reason.
   */
  async endDosing(actor: Actor, id: string, input: EndDosingInput): Promise<Session> {
    return this.transition(actor, id, 'end-dosing', input, async (tx, s, at) => {
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const plannedEnd = s.dosingStartedAt && s.durationMin ? s.dosingStartedAt.getTime() + s.durationMin * 60_000 : null;
      const early = plannedEnd !== null && at.getTime() < plannedEnd - 60_000;
      const dose = await this.reconcile(tx, s, protocol, at, input.bagRemainingMl);
      const why = [
        early ? `dosing ends ${Math.round((plannedEnd - at.getTime()) / 60_000)} min early` : null,
        dose.beyondTolerance ? deliveredMessage(dose) : null,
      ].filter(Boolean);
      if (why.length && !input.reason?.trim()) throw DomainError.validation([{ field: 'reason', message: `${why.join('; ')}: say why` }]);
      if (!s.observationFrom) await this.pendingWork.schedule(tx, observationEndWork(s, at, protocol.minObservationMin));
      return {
        changes: { dosingEndedAt: at, observationFrom: s.observationFrom ?? at, ...deliveredChanges(dose) },
        data: { early, reason: input.reason ?? null, ...dose },
      };
    });
  }

  /** Dosing stopped for good (always with a reason); the delivered dose is reconciled; the patient is still observed before discharge. */
  async abort(actor: Actor, id: string, input: EndDosingInput): Promise<Session> {
    return this.transition(actor, id, 'abort', input, async (tx, s, at) => {
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const dose = await this.reconcile(tx, s, protocol, at, input.bagRemainingMl);
      if (!input.reason?.trim()) throw DomainError.validation([{ field: 'reason', message: `${deliveredMessage(dose)}: say why` }]);
      return {
        changes: { dosingEndedAt: at, observationFrom: s.observationFrom ?? at, endReason: input.reason, ...deliveredChanges(dose) },
        data: { reason: input.reason, ...dose },
      };
    });
  }

  /** The delivered dose by `at`, judged against the clinic's tolerance. */
  private async reconcile(
    tx: Tx,
    s: Session,
    protocol: ProtocolVersion,
    at: Date,
    bagRemainingMl?: number | null,
  ): Promise<DoseReconciliation> {
    const { deliveredDoseTolerancePct } = await this.settings.forClinic(s.clinicId, tx.manager);
    return deliveredDose(tx.manager, s, protocol, at, { bagRemainingMl: bagRemainingMl ?? null, tolerancePct: deliveredDoseTolerancePct });
  }

  async cancel(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'cancel', input, (_tx, _s, at) =>
      Promise.resolve({ changes: { endedAt: at, endReason: input.reason ?? null }, data: { reason: input.reason } }),
    );
  }

  async noShow(actor: Actor, id: string, input: TransitionInput): Promise<Session> {
    return this.transition(actor, id, 'no-show', input, async () => {
      return { changes: { endedAt: input.occurredAt ?? this.clock.now() }, data: {} };
    });
  }

  /** The session, or 404 when missing or another clinic's. */
  async find(m: EntityManager, clinicId: string, id: string): Promise<Session> {
    return findInClinicOr404(m, Session, clinicId, { id }, 'Session');
  }

  /** The same, locked until the transaction ends. */
  async lock(m: EntityManager, clinicId: string, id: string): Promise<Session> {
    return findInClinicOr404(m, Session, clinicId, { id }, 'Session', { lock: true });
  }

  /** These sessions locked in id order (so concurrent groups never deadlock), whatever their clinic; missing ones are absent. */
  async lockMany(m: EntityManager, ids: string[]): Promise<Map<string, Session>> {
    const rows = await m
      .createQueryBuilder(Session, 's')
      .setLock('pessimistic_write')
      .where('s.id IN (:...ids)', { ids: [...ids].sort() })
      .orderBy('s.id')
      .getMany();
    return new Map(rows.map((s) => [s.id, s]));
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

  /** When a verb is charted: now, or up to 15 minutes back but never before the session's previous event. */
  when(occurredAt: Date | undefined, now: Date, s: Session): Date {
    const at = occurredAt ?? now;
    const problem = occurredAtProblem(at, now, s.lastEventAt);
    if (problem) throw DomainError.validation([{ field: 'occurredAt', message: problem }]);
    return at;
  }

  /**
   * One transition: lock the row, check the lifecycle allows it (409 INVALID_TRANSITION otherwise),
   * apply the verb's rules, then a conditional update, the timeline event, SessionStatusChanged (the
   * appointment, the "vitals overdue" check, the check-in call follow) and the audit row.
   * Also used by the start (SessionStartService) and discharge (observation domain).
   */
  async transition(
    actor: Actor,
    id: string,
    verb: SessionVerb,
    input: TransitionInput,
    apply: (tx: Tx, s: Session, at: Date) => Promise<TransitionEffect>,
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
      await appendSessionEvent(tx, { session: s, type: verb, from, to, at, actorUserId: actor.userId, data });
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
}

const deliveredMessage = (d: DoseReconciliation) =>
  `${d.deliveredDoseMg} mg delivered of ${d.orderedDoseMg} mg ordered (${d.differenceMg > 0 ? '+' : ''}${d.differenceMg} mg)`;

/** What the session row keeps of the reconciliation: `delivered_dose_mg` is the figure of record. */
const deliveredChanges = (d: DoseReconciliation): Partial<Session> => ({
  deliveredDoseMg: d.deliveredDoseMg,
  computedDoseMg: d.computedDoseMg,
  bagRemainingMl: d.bagRemainingMl,
});
