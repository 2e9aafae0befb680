import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, ErrorCode, TransactionRunner, type Actor } from '#platform';
import { roundTo } from '../dosing/index.js';
import { mgPerH } from './dose-delivery.js';
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
      const rateMgPerH = mgPerH(input.rateMlPerH, s.concentrationMgPerMl);
      if (rateMgPerH === null)
        throw DomainError.validation([
          { field: 'rateMlPerH', message: 'the order has no concentration (mg/mL): a pump rate in mL/h cannot be turned into a dose' },
        ]);
      const before = s.rateMlPerH;
      // The session shows the rate the pump runs at now, in mL/h and mg/h (0 when stopped).
      const changes = { rateMlPerH: input.rateMlPerH, rateMgPerH: roundTo(rateMgPerH, 1), lastEventAt: at };
      await tx.manager.update(Session, { id }, changes);
      Object.assign(s, changes);
      await appendSessionEvent(tx, {
        session: s,
        type: 'rate-change',
        from: s.status,
        to: s.status,
        at,
        actorUserId: actor.userId,
        data: { fromRateMlPerH: before, toRateMlPerH: input.rateMlPerH, toRateMgPerH: rateMgPerH, reason: input.reason },
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
