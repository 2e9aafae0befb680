import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, Clock, DomainError, ErrorCode, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import { alertView, AlertsService, type AlertView } from '../alerts/index.js';
import { appendSessionEvent, SessionsService, VITALS_STATUSES } from '../sessions/index.js';
import { readingView, type ReadingView } from './reading.js';
import { VitalReading } from './vital-reading.entity.js';

/** clinical-rules.md section 3: crisis symptoms raise a critical "emergency" alert whatever the numbers (label wording). */
export const CRISIS_SYMPTOMS = [
  'chest-pain',
  'shortness-of-breath',
  'sudden-severe-headache',
  'visual-change',
  'seizure',
  'reduced-consciousness',
  'focal-neurological-deficit',
] as const;
export type CrisisSymptom = (typeof CRISIS_SYMPTOMS)[number];

/** A page of a session's readings: a long session holds thousands (a reading a minute from several monitors). */
export const READINGS_PAGE = { defaultLimit: 200, maxLimit: 1000 } as const;

/** A session's readings as staff read them, and the crisis symptoms a nurse charts. */
@Injectable()
export class VitalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly alerts: AlertsService,
  ) {}

  /** Crisis symptoms entered by a nurse: a critical emergency alert at once. */
  async emergency(actor: Actor, sessionId: string, symptoms: CrisisSymptom[], note: string | null): Promise<AlertView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!VITALS_STATUSES.includes(s.status)) throw DomainError.conflict(ErrorCode.SessionNotActive, `The session is ${s.status}`);
      const message = `Crisis symptoms: ${symptoms.join(', ')}${note ? ` (${note})` : ''}`;
      const { alert } = await this.alerts.raiseOrAttach(tx, {
        session: s,
        measure: 'emergency',
        level: 'critical',
        message,
        at: now,
        actorUserId: actor.userId,
      });
      await appendSessionEvent(tx, {
        session: s,
        type: 'emergency',
        from: s.status,
        to: s.status,
        at: now,
        actorUserId: actor.userId,
        data: { symptoms, note, alertId: alert.id },
      });
      await this.audit.record(tx, {
        action: 'session.emergency',
        resourceType: 'session',
        resourceId: s.id,
        changes: { symptoms, note, alertId: alert.id },
      });
      return alertView(alert);
    });
  }

  /** The session's readings, oldest first, a page at a time. */
  async list(actor: Actor, sessionId: string, page: { limit: number; cursor?: string }): Promise<Page<ReadingView>> {
    const s = await this.sessions.find(this.dataSource.manager, actor.clinicId, sessionId);
    const q = this.dataSource.createQueryBuilder(VitalReading, 'v').where('v.session_id = :sessionId', { sessionId });
    return keysetPage(q, {
      sortColumn: 'v.measured_at',
      idColumn: 'v.id',
      order: 'ASC',
      cursor: page.cursor,
      limit: page.limit,
      key: (r) => ({ at: r.measuredAt, id: r.id }),
      view: (r) => readingView(r, s.baselineReadingId, false),
    });
  }
}
