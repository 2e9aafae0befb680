import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, ErrorCode, TransactionRunner, type Actor } from '#platform';
import type { DoseChangeInput } from './session-inputs.js';
import { Session } from './session.entity.js';
import { isDosing } from './session-state.js';
import { appendSessionEvent } from './session-timeline.js';
import { SessionsService } from './sessions.service.js';

/** Changes to a dose being given: the pump rate, with its reason (recorded for the controlled-substance log). */
@Injectable()
export class DoseChangesService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
  ) {}

  /** A pump rate change during dosing (paused included): the session stays in its state, the timeline records the change. */
  async changeRate(actor: Actor, id: string, input: DoseChangeInput): Promise<Session> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, id);
      if (!isDosing(s.status))
        throw DomainError.conflict(ErrorCode.InvalidTransition, `A rate can change only while dosing (the session is ${s.status})`, [
          { code: 'INVALID_TRANSITION', message: s.status },
        ]);
      const at = this.sessions.when(input.occurredAt, now, s);
      const before = s.rateMlPerH;
      await tx.manager.update(Session, { id }, { rateMlPerH: input.rateMlPerH, lastEventAt: at });
      s.rateMlPerH = input.rateMlPerH;
      s.lastEventAt = at;
      await appendSessionEvent(tx, {
        session: s,
        type: 'rate-change',
        from: s.status,
        to: s.status,
        at,
        actorUserId: actor.userId,
        data: { fromRateMlPerH: before, toRateMlPerH: input.rateMlPerH, reason: input.reason },
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
}
