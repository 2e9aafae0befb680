import { Injectable } from '@nestjs/common';
import { Clock, JobHandler, JobName, PendingWorkService, type PendingWork, type Tx } from '#platform';
import { AlertsService } from '../alerts/index.js';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { ProtocolsService } from '../protocols/index.js';
import { isDosed, SessionsService, type SessionStatus } from '../sessions/index.js';
import { OVERDUE_ON_VERB, overdueWork, readingEveryMin } from './vitals-overdue.js';

/** The "vitals overdue" check of a dosed session: set by its moves and its readings, raised when the next reading does not come. */
@Injectable()
export class VitalsOverdueService {
  constructor(
    private readonly clock: Clock,
    private readonly pendingWork: PendingWorkService,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly alerts: AlertsService,
  ) {}

  /** Start, end of dosing, abort: the next reading is due from the move; cancel, discharge: no more readings are due. */
  @OnClinicEvent('SessionStatusChanged')
  async followSession(e: ClinicEventPayload<'SessionStatusChanged'>, tx: Tx): Promise<void> {
    const effect = OVERDUE_ON_VERB[e.verb];
    if (effect === 'cancel') await this.pendingWork.cancel(tx, JobName.VitalsOverdue, e.sessionId);
    if (effect !== 'schedule') return;
    const s = await this.sessions.find(tx.manager, e.clinicId, e.sessionId);
    const { vitals } = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
    await this.pendingWork.schedule(tx, overdueWork(s, e.at, readingEveryMin(vitals, e.to as SessionStatus), vitals.overdueAfterMin));
  }

  /** The next reading did not come: a warning alert (it stays open until someone answers it). */
  @JobHandler(JobName.VitalsOverdue)
  async vitalsOverdue(work: PendingWork, tx: Tx): Promise<void> {
    const s = (await this.sessions.lockMany(tx.manager, [work.subjectId])).get(work.subjectId);
    if (!s || !isDosed(s.status)) return;
    const since = s.lastReadingAt ?? s.dosingStartedAt;
    await this.alerts.raiseOrAttach(tx, {
      session: s,
      measure: 'vitals-overdue',
      level: 'warning',
      message: `No vitals since ${since?.toISOString() ?? 'the start of dosing'}`,
      at: this.clock.now(),
    });
  }
}
