import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  JobHandler,
  JobName,
  NotificationOutbox,
  TransactionRunner,
  User,
  type Actor,
  type FieldProblem,
  type PendingWork,
  type Tx,
} from '#platform';
import { AlertsService } from '../alerts/index.js';
import { appendSessionEvent, DOSED_STATUSES, Session, SessionsService } from '../sessions/index.js';
import { ObservationCheck } from './observation.entity.js';

export interface NewObservationCheck {
  checkedAt?: Date;
  dissociation: 'resolved' | 'present';
  cadss6Total?: number | null;
  nausea?: ObservationCheck['nausea'];
  oriented?: boolean | null;
  gait?: ObservationCheck['gait'];
  note?: string | null;
}

/** An observation check may be charted up to 15 minutes back (and a minute ahead, for clocks). */
function checkedAtProblem(at: Date, now: Date): string | null {
  return at.getTime() > now.getTime() + 60_000 || at.getTime() < now.getTime() - 15 * 60_000 ? 'must be within the last 15 minutes' : null;
}

/** Observation after dosing: the nurse's checks (adverse events: AdverseEventsService), and telling the nurse when the minimum has passed (clinical-rules.md section 4). */
@Injectable()
export class ObservationService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly alerts: AlertsService,
    private readonly outbox: NotificationOutbox,
  ) {}

  /** A check is charted within the last 15 minutes, not ahead; a time not given is now. */
  problems(input: Partial<NewObservationCheck>): FieldProblem[] {
    const problem = input.checkedAt ? checkedAtProblem(input.checkedAt, this.clock.now()) : null;
    return problem ? [{ field: 'checkedAt', message: problem }] : [];
  }

  async check(actor: Actor, sessionId: string, input: NewObservationCheck): Promise<ObservationCheck> {
    const now = this.clock.now();
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!DOSED_STATUSES.includes(s.status))
        throw DomainError.conflict(
          ErrorCode.InvalidTransition,
          `Observation checks are recorded from the start of dosing until discharge; the session is ${s.status}`,
        );
      const at = input.checkedAt ?? now;
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
      const { dissociation, cadss6Total, nausea, oriented, gait, note } = check;
      const data = { checkId: check.id, dissociation, cadss6Total, nausea, oriented, gait, note };
      await appendSessionEvent(tx, {
        session: s,
        type: 'observation-check',
        from: s.status,
        to: s.status,
        at,
        actorUserId: actor.userId,
        data,
      });
      await this.audit.record(tx, {
        action: 'session.observation-check',
        resourceType: 'session',
        resourceId: s.id,
        changes: { checkId: check.id, dissociation },
      });
      return check;
    });
  }

  @JobHandler(JobName.ObservationComplete)
  async observationComplete(work: PendingWork, tx: Tx): Promise<void> {
    const s = await tx.manager.findOneBy(Session, { id: work.subjectId });
    if (!s || !DOSED_STATUSES.includes(s.status)) return;
    const message = 'The minimum observation has passed: discharge may be assessed.';
    await this.alerts.sessionEvent(tx, s.clinicId, s.id, 'observation-complete', { message, patientId: s.patientId });
    await appendSessionEvent(tx, {
      session: s,
      type: 'observation-complete',
      from: s.status,
      to: s.status,
      at: this.clock.now(),
      actorUserId: null,
      data: { message },
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
}
