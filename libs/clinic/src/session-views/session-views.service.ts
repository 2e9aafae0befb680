import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, Clock, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import { Alert, AlertEvent, alertView, type AlertView } from '../alerts/index.js';
import { ProtocolsService } from '../protocols/index.js';
import { Session, SessionEvent, SessionsService, sessionView, type SessionStatus, type SessionView } from '../sessions/index.js';
import { VitalReading } from '../vitals/index.js';

/** What a timeline entry is: a session event, a reading, or an alert's change. */
export const TIMELINE_KINDS = ['event', 'vitals', 'alert'] as const;

export interface TimelineEntry {
  at: string;
  kind: (typeof TIMELINE_KINDS)[number];
  type: string;
  actorUserId: string | null;
  data: Record<string, unknown>;
}

/** How many readings the session detail carries in its timeline: the latest; the rest are paged at GET /sessions/{id}/vitals. */
export const DETAIL_READINGS = 100;

export interface SessionDetail extends SessionView {
  timeline: TimelineEntry[];
  alerts: AlertView[];
  observation: { minimumMin: number; elapsedMin: number | null; remainingMin: number | null };
  /** true when the session has more readings than the timeline carries (the latest DETAIL_READINGS). */
  readingsTruncated: boolean;
}

export interface SessionListFilter {
  status?: SessionStatus;
  date?: string;
  patientId?: string;
  limit: number;
  cursor?: string;
}

/** What staff read: one session with its timeline, and the clinic's sessions (the board: SessionBoardService). */
@Injectable()
export class SessionViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
  ) {}

  /**
   * The session and its timeline in time order (transitions, dose events, the latest readings, alert
   * lifecycle); the read is audited.
   */
  async get(actor: Actor, id: string): Promise<SessionDetail> {
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const s = await this.sessions.find(m, actor.clinicId, id);
      const events = await m.find(SessionEvent, { where: { sessionId: id }, order: { occurredAt: 'ASC' } });
      const latest = await m.find(VitalReading, {
        where: { sessionId: id },
        order: { measuredAt: 'DESC', id: 'DESC' },
        take: DETAIL_READINGS + 1,
      });
      const readingsTruncated = latest.length > DETAIL_READINGS;
      const readings = latest.slice(0, DETAIL_READINGS).reverse();
      const alerts = await m.find(Alert, { where: { sessionId: id }, order: { openedAt: 'ASC' } });
      const alertEvents = alerts.length
        ? await m
            .createQueryBuilder(AlertEvent, 'e')
            .where('e.alert_id IN (:...ids)', { ids: alerts.map((a) => a.id) })
            .orderBy('e.id')
            .getMany()
        : [];
      const timeline = timelineOf(events, readings, alertEvents, s.baselineReadingId);
      await this.audit.record(tx, { action: 'session.read', resourceType: 'session', resourceId: id, changes: { patientId: s.patientId } });
      const minimumMin = (await this.protocols.version(s.clinicId, s.protocolVersionId, m)).minObservationMin;
      const elapsedMin = s.observationFrom
        ? Math.max(0, Math.floor(((s.endedAt ?? this.clock.now()).getTime() - s.observationFrom.getTime()) / 60_000))
        : null;
      const observation = { minimumMin, elapsedMin, remainingMin: elapsedMin === null ? null : Math.max(0, minimumMin - elapsedMin) };
      return { ...sessionView(s), observation, timeline, alerts: alerts.map(alertView), readingsTruncated };
    });
  }

  /** The clinic's sessions, newest first, a page at a time. */
  async list(actor: Actor, f: SessionListFilter): Promise<Page<SessionView>> {
    const q = this.dataSource.createQueryBuilder(Session, 's').where('s.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.status) q.andWhere('s.status = :status', { status: f.status });
    if (f.patientId) q.andWhere('s.patient_id = :patientId', { patientId: f.patientId });
    if (f.date)
      q.andWhere(`CAST(COALESCE(s.checked_in_at, s.created_at) AT TIME ZONE c.time_zone AS date) = :date`, { date: f.date }).innerJoin(
        'clinics',
        'c',
        'c.id = s.clinic_id',
      );
    return keysetPage(q, {
      sortColumn: 's.created_at',
      idColumn: 's.id',
      order: 'DESC',
      cursor: f.cursor,
      limit: f.limit,
      key: (s) => ({ at: s.createdAt, id: s.id }),
      view: sessionView,
    });
  }
}

/** Transitions and charted events, readings and the alerts' lifecycle, in time order. */
function timelineOf(
  events: SessionEvent[],
  readings: VitalReading[],
  alertEvents: AlertEvent[],
  baselineReadingId: string | null,
): TimelineEntry[] {
  return [
    ...events.map((e) => ({
      at: e.occurredAt.toISOString(),
      kind: 'event' as const,
      type: e.type,
      actorUserId: e.actorUserId,
      data: { from: e.fromStatus, to: e.toStatus, ...(e.data ?? {}) },
    })),
    ...readings.map((r) => ({
      at: r.measuredAt.toISOString(),
      kind: 'vitals' as const,
      type: r.source,
      actorUserId: r.recordedBy,
      data: {
        id: r.id,
        systolic: r.systolic,
        diastolic: r.diastolic,
        heartRate: r.heartRate,
        spo2: r.spo2,
        respiratoryRate: r.respiratoryRate,
        moaas: r.moaas,
        breachLevel: r.breachLevel,
        baseline: r.id === baselineReadingId,
      },
    })),
    ...alertEvents.map((e) => ({
      at: e.createdAt.toISOString(),
      kind: 'alert' as const,
      type: e.type,
      actorUserId: (e.type === 'acknowledged' ? e.payload['acknowledgedBy'] : e.type === 'resolved' ? e.payload['resolvedBy'] : null) as
        string | null,
      data: { alertId: e.alertId, measure: e.payload['measure'], level: e.payload['level'], message: e.payload['message'] },
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
}
