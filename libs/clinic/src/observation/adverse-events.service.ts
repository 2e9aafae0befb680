import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  keysetPage,
  TransactionRunner,
  type Actor,
  type FieldProblem,
  type Page,
  type Tx,
} from '#platform';
import { ProtocolsService } from '../protocols/index.js';
import { appendSessionEvent, SessionsService, type Session } from '../sessions/index.js';
import { AdverseEvent } from './observation.entity.js';
import { REMS_EVENT_KINDS, remsReportable } from './rems-rules.js';

export interface NewAdverseEvent {
  kind: string;
  severity: AdverseEvent['severity'];
  onsetAt: Date;
  actionTaken: string;
  outcome: AdverseEvent['outcome'];
}

/** What an update may change: the course of the event, not what it was or when it began. */
export interface AdverseEventUpdate {
  severity?: AdverseEvent['severity'];
  actionTaken?: string;
  outcome?: AdverseEvent['outcome'];
  /** When it resolved: default now when the outcome becomes resolved. */
  resolvedAt?: Date;
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

export interface AdverseEventView {
  id: string;
  sessionId: string;
  kind: string;
  severity: AdverseEvent['severity'];
  onsetAt: string;
  actionTaken: string;
  outcome: AdverseEvent['outcome'];
  resolvedAt: string | null;
  remsReportable: boolean;
  recordedBy: string;
  recordedAt: string;
  updatedAt: string;
}

export const adverseEventView = (e: AdverseEvent): AdverseEventView => ({
  id: e.id,
  sessionId: e.sessionId,
  kind: e.kind,
  severity: e.severity,
  onsetAt: e.onsetAt.toISOString(),
  actionTaken: e.actionTaken,
  outcome: e.outcome,
  resolvedAt: e.resolvedAt?.toISOString() ?? null,
  remsReportable: e.remsReportable,
  recordedBy: e.recordedBy,
  recordedAt: e.recordedAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

/** A time the nurse charts: never ahead of now (a minute allowed for clocks). */
const inFuture = (at: Date, now: Date) => at.getTime() > now.getTime() + 60_000;

/** Adverse events of a session: recorded during or after dosing, updated as they evolve (resolved …), listed. */
@Injectable()
export class AdverseEventsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
  ) {}

  /** An onset or a resolution time in the future; fields not given are not judged. */
  problems(input: { onsetAt?: Date; resolvedAt?: Date }): FieldProblem[] {
    const now = this.clock.now();
    return (['onsetAt', 'resolvedAt'] as const)
      .filter((field) => input[field] && inFuture(input[field], now))
      .map((field) => ({ field, message: 'must not be in the future' }));
  }

  async record(actor: Actor, sessionId: string, input: NewAdverseEvent): Promise<AdverseEvent> {
    const now = this.clock.now();
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
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
          resolvedAt: input.outcome === 'resolved' ? now : null,
          remsReportable: remsReportable(protocol, input.kind),
          recordedBy: actor.userId,
        }),
      );
      const data = { adverseEventId: event.id, kind: event.kind, severity: event.severity, remsReportable: event.remsReportable };
      await this.chart(tx, actor, s, 'adverse-event', now, data, { ...input, remsReportable: event.remsReportable });
      return event;
    });
  }

  /** The event's course: outcome, action taken, severity; resolving it stamps when (default now). */
  async update(actor: Actor, sessionId: string, eventId: string, input: AdverseEventUpdate): Promise<AdverseEvent> {
    const now = this.clock.now();
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      const e = await findInClinicOr404(tx.manager, AdverseEvent, actor.clinicId, { id: eventId, sessionId: s.id }, 'Adverse event');
      const before = { severity: e.severity, actionTaken: e.actionTaken, outcome: e.outcome, resolvedAt: e.resolvedAt };
      const outcome = input.outcome ?? e.outcome;
      const resolvedAt = outcome === 'resolved' ? (input.resolvedAt ?? e.resolvedAt ?? now) : null;
      if (resolvedAt && resolvedAt.getTime() < e.onsetAt.getTime())
        throw DomainError.validation([{ field: 'resolvedAt', message: 'must not be before the onset' }]);
      Object.assign(e, {
        severity: input.severity ?? e.severity,
        actionTaken: input.actionTaken?.trim() ?? e.actionTaken,
        outcome,
        resolvedAt,
      });
      const saved = await tx.manager.save(e);
      const after = { severity: saved.severity, actionTaken: saved.actionTaken, outcome: saved.outcome, resolvedAt: saved.resolvedAt };
      await this.chart(
        tx,
        actor,
        s,
        'adverse-event-update',
        now,
        { adverseEventId: e.id, kind: e.kind, ...after },
        { adverseEventId: e.id, before, after },
      );
      return saved;
    });
  }

  /** The session's adverse events by onset, a page at a time; the read is audited. */
  async list(actor: Actor, sessionId: string, page: { limit: number; cursor?: string }): Promise<Page<AdverseEventView>> {
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.find(tx.manager, actor.clinicId, sessionId);
      await this.audit.record(tx, { action: 'session.adverse-events.read', resourceType: 'session', resourceId: s.id });
      const q = tx.manager.createQueryBuilder(AdverseEvent, 'e').where('e.session_id = :id', { id: s.id });
      return keysetPage(q, {
        sortColumn: 'e.onset_at',
        idColumn: 'e.id',
        order: 'ASC',
        cursor: page.cursor,
        limit: page.limit,
        key: (e) => ({ at: e.onsetAt, id: e.id }),
        view: adverseEventView,
      });
    });
  }

  /** The timeline event and the audit row of a change. */
  private async chart(tx: Tx, actor: Actor, s: Session, type: string, at: Date, data: Record<string, unknown>, changes: object) {
    await appendSessionEvent(tx, { session: s, type, from: s.status, to: s.status, at, actorUserId: actor.userId, data });
    await this.audit.record(tx, {
      action: `session.${type}`,
      resourceType: 'session',
      resourceId: s.id,
      changes: changes as Record<string, unknown>,
    });
  }
}
