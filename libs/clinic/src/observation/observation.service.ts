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
  type PendingWork,
  type Tx,
} from '#platform';
import { AlertsService } from '../alerts/index.js';
import { ProtocolsService } from '../protocols/index.js';
import { appendSessionEvent, DOSED_STATUSES, Session, SessionsService } from '../sessions/index.js';
import { AdverseEvent, ObservationCheck } from './observation.entity.js';
import { REMS_EVENT_KINDS, remsReportable } from './rems-rules.js';

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

export const ADVERSE_EVENT_KINDS = [
  ...REMS_EVENT_KINDS,
  'nausea-vomiting',
  'anxiety',
  'headache',
  'dizziness',
  'allergic-reaction',
  'other',
];

/** An observation check may be charted up to 15 minutes back (and a minute ahead, for clocks). */
function checkedAtProblem(at: Date, now: Date): string | null {
  return at.getTime() > now.getTime() + 60_000 || at.getTime() < now.getTime() - 15 * 60_000 ? 'must be within the last 15 minutes' : null;
}

/** Observation after dosing: the nurse's checks, adverse events, and telling the nurse when the minimum has passed (clinical-rules.md section 4). */
@Injectable()
export class ObservationService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly alerts: AlertsService,
    private readonly outbox: NotificationOutbox,
  ) {}

  async check(actor: Actor, sessionId: string, input: NewObservationCheck): Promise<ObservationCheck> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!DOSED_STATUSES.includes(s.status))
        throw DomainError.conflict(
          ErrorCode.InvalidTransition,
          `Observation checks are recorded from the start of dosing until discharge; the session is ${s.status}`,
        );
      const at = input.checkedAt ?? now;
      const problem = checkedAtProblem(at, now);
      if (problem) throw DomainError.validation([{ field: 'checkedAt', message: problem }]);
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
          remsReportable: remsReportable(protocol, input.kind),
          recordedBy: actor.userId,
        }),
      );
      await appendSessionEvent(tx, {
        session: s,
        type: 'adverse-event',
        from: s.status,
        to: s.status,
        at: this.clock.now(),
        actorUserId: actor.userId,
        data: {
          adverseEventId: event.id,
          kind: event.kind,
          severity: event.severity,
          remsReportable: event.remsReportable,
        },
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
