import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  decodeCursor,
  DomainError,
  ErrorCode,
  JobName,
  PendingWorkService,
  toPage,
  TransactionRunner,
  type Actor,
  type Page,
  type Tx,
} from '#platform';
import type { Session } from '../sessions/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { Alert, AlertEvent, type AlertEventType, type AlertLevel, type AlertMeasure, type AlertStatus } from './alert.entity.js';

/** Channel of the PostgreSQL NOTIFY that tells every API process an alert event was written. */
export const ALERT_EVENTS_CHANNEL = 'vigil_alert_events';

export interface AlertView {
  id: string;
  sessionId: string;
  patientId: string;
  measure: AlertMeasure;
  level: AlertLevel;
  status: AlertStatus;
  message: string;
  readingCount: number;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  escalationLevel: number;
  escalatedAt: string | null;
}

export const alertView = (a: Alert): AlertView => ({
  id: a.id,
  sessionId: a.sessionId,
  patientId: a.patientId,
  measure: a.measure,
  level: a.level,
  status: a.status,
  message: a.message,
  readingCount: a.readingCount,
  openedAt: a.openedAt.toISOString(),
  acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: a.acknowledgedBy,
  resolvedAt: a.resolvedAt?.toISOString() ?? null,
  resolvedBy: a.resolvedBy,
  resolutionNote: a.resolutionNote,
  escalationLevel: a.escalationLevel,
  escalatedAt: a.escalatedAt?.toISOString() ?? null,
});

export interface RaiseAlert {
  session: Pick<Session, 'id' | 'clinicId' | 'patientId'>;
  measure: AlertMeasure;
  level: AlertLevel;
  message: string;
  readingId?: string | null;
  at: Date;
  actorUserId?: string | null;
}

@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly pendingWork: PendingWorkService,
    private readonly settings: ClinicSettingsService,
  ) {}

  /**
   * In the caller's transaction: a new alert for (session, measure, level), or the reading added to
   * the one still unresolved. A new critical alert schedules its escalations (clinic settings).
   */
  async raiseOrAttach(tx: Tx, r: RaiseAlert): Promise<{ alert: Alert; created: boolean }> {
    return this.raiseOrAttachReadings(tx, r, r.readingId ? [{ id: r.readingId, message: r.message }] : []);
  }

  /**
   * The same for several readings that breach one measure at one level, in one pass (a batch, or
   * the readings of many requests stored together): they are linked in one statement, the alert
   * keeps the last one's message, and an acknowledged alert gets one "repeated" event for them.
   */
  async raiseOrAttachReadings(
    tx: Tx,
    r: Omit<RaiseAlert, 'readingId'>,
    readings: Array<{ id: string; message: string }>,
  ): Promise<{ alert: Alert; created: boolean }> {
    const m = tx.manager;
    // Most breaches join the alert already open: it is looked for (and locked) first, and made only when there is none.
    const found = await this.unresolved(m, r).getOne();
    const created = !found && (await this.insertAlert(m, r));
    const alert = found ?? (await this.unresolved(m, r).getOneOrFail());
    if (readings.length) {
      const last = readings[readings.length - 1];
      alert.readingCount += readings.length;
      alert.lastReadingId = last.id;
      if (!created || readings.length > 1) alert.message = last.message;
      // The readings linked and the alert's count, last reading and message, in one statement.
      await m.query(
        `WITH linked AS (INSERT INTO alert_readings (alert_id, reading_id) SELECT $1::uuid, unnest($2::uuid[]))
         UPDATE alerts SET reading_count = $3, last_reading_id = $4, message = $5 WHERE id = $1`,
        [alert.id, readings.map((x) => x.id), alert.readingCount, last.id, alert.message],
      );
      // Acknowledged but not resolved: whoever took it on sees that it is still happening.
      if (!created && alert.status === 'acknowledged') await this.event(tx, alert, 'repeated');
    }
    if (created) {
      await this.event(tx, alert, 'raised');
      if (alert.level === 'critical') {
        const { escalation } = await this.settings.forClinic(alert.clinicId, m);
        const at = alert.openedAt.getTime();
        await this.pendingWork.schedule(tx, {
          kind: JobName.EscalateAlertToSession,
          subjectId: alert.id,
          dueAt: new Date(at + escalation.sessionAnesthesiologistAfterMin * 60_000),
          clinicId: alert.clinicId,
        });
        await this.pendingWork.schedule(tx, {
          kind: JobName.EscalateAlertToAll,
          subjectId: alert.id,
          dueAt: new Date(at + escalation.allAnesthesiologistsAfterMin * 60_000),
          clinicId: alert.clinicId,
        });
      }
    }
    return { alert, created };
  }

  /** The unresolved alert of this session, measure and level, locked until the commit. */
  private unresolved(m: EntityManager, r: Pick<RaiseAlert, 'session' | 'measure' | 'level'>) {
    return m
      .createQueryBuilder(Alert, 'a')
      .setLock('pessimistic_write')
      .where(`a.session_id = :sid AND a.measure = :measure AND a.level = :level AND a.status <> 'resolved'`, {
        sid: r.session.id,
        measure: r.measure,
        level: r.level,
      });
  }

  /** A new open alert; false when one was made meanwhile (the unique key of an unresolved alert). */
  private async insertAlert(m: EntityManager, r: Omit<RaiseAlert, 'readingId'>): Promise<boolean> {
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO alerts (clinic_id, session_id, patient_id, measure, level, status, message, opened_at, opened_by)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8)
       ON CONFLICT (session_id, measure, level) WHERE status <> 'resolved' DO NOTHING
       RETURNING id`,
      [r.session.clinicId, r.session.id, r.session.patientId, r.measure, r.level, r.message, r.at, r.actorUserId ?? null],
    );
    return inserted.length === 1;
  }

  /**
   * Warnings a new reading answered clear themselves (in the reading's transaction, one query for
   * the group): each unresolved alert of these (session, measure) is resolved, by nobody, with a note
   * and a "resolved" event naming the reading.
   */
  async clearAnswered(
    tx: Tx,
    answered: Array<{ sessionId: string; measure: AlertMeasure; readingId: string; measuredAt: Date }>,
  ): Promise<Alert[]> {
    if (answered.length === 0) return [];
    const open = await tx.manager
      .createQueryBuilder(Alert, 'a')
      .setLock('pessimistic_write')
      .where(`a.session_id IN (:...ids) AND a.measure IN (:...measures) AND a.status <> 'resolved'`, {
        ids: [...new Set(answered.map((x) => x.sessionId))],
        measures: [...new Set(answered.map((x) => x.measure))],
      })
      .getMany();
    const now = this.clock.now();
    const cleared: Alert[] = [];
    for (const alert of open) {
      const by = answered.filter((x) => x.sessionId === alert.sessionId && x.measure === alert.measure).at(-1);
      if (!by) continue;
      Object.assign(alert, {
        status: 'resolved',
        resolvedAt: now,
        resolvedBy: null,
        resolutionNote: `cleared by the reading measured at ${by.measuredAt.toISOString()}`,
      });
      await tx.manager.update(Alert, { id: alert.id }, { status: 'resolved', resolvedAt: now, resolutionNote: alert.resolutionNote });
      await this.stopEscalation(tx, alert.id);
      await this.event(tx, alert, 'resolved', { clearedByReadingId: by.readingId });
      cleared.push(alert);
    }
    return cleared;
  }

  async list(actor: Actor, f: { status?: AlertStatus; sessionId?: string; limit: number; cursor?: string }): Promise<Page<AlertView>> {
    const after = decodeCursor(f.cursor);
    const q = this.dataSource.createQueryBuilder(Alert, 'a').where('a.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.status) q.andWhere('a.status = :status', { status: f.status });
    if (f.sessionId) q.andWhere('a.session_id = :sid', { sid: f.sessionId });
    if (after) q.andWhere('(a.opened_at, a.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await q
      .orderBy('a.opened_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(f.limit + 1)
      .getMany();
    return toPage(rows, f.limit, (a) => ({ at: a.openedAt, id: a.id }), alertView);
  }

  /** Nurses acknowledge warnings; critical alerts are for anesthesiologists (api.md). */
  async acknowledge(actor: Actor, id: string): Promise<AlertView> {
    return this.transactions.run(async (tx) => {
      const alert = await this.lockInClinic(tx, actor, id);
      this.checkRole(actor, alert, 'acknowledge');
      if (alert.status !== 'open') throw DomainError.conflict(ErrorCode.InvalidTransition, `This alert is already ${alert.status}`);
      Object.assign(alert, { status: 'acknowledged', acknowledgedAt: this.clock.now(), acknowledgedBy: actor.userId });
      await tx.manager.save(alert);
      await this.stopEscalation(tx, alert.id);
      await this.event(tx, alert, 'acknowledged');
      await this.audit.record(tx, {
        action: 'alert.acknowledge',
        resourceType: 'alert',
        resourceId: id,
        changes: { level: alert.level, measure: alert.measure },
      });
      return alertView(alert);
    });
  }

  async resolve(actor: Actor, id: string, note: string): Promise<AlertView> {
    return this.transactions.run(async (tx) => {
      const alert = await this.lockInClinic(tx, actor, id);
      this.checkRole(actor, alert, 'resolve');
      if (alert.status === 'resolved') throw DomainError.conflict(ErrorCode.InvalidTransition, 'This alert is already resolved');
      const now = this.clock.now();
      Object.assign(alert, {
        status: 'resolved',
        acknowledgedAt: alert.acknowledgedAt ?? now,
        acknowledgedBy: alert.acknowledgedBy ?? actor.userId,
        resolvedAt: now,
        resolvedBy: actor.userId,
        resolutionNote: note.trim(),
      });
      await tx.manager.save(alert);
      await this.stopEscalation(tx, alert.id);
      await this.event(tx, alert, 'resolved');
      await this.audit.record(tx, {
        action: 'alert.resolve',
        resourceType: 'alert',
        resourceId: id,
        changes: { level: alert.level, measure: alert.measure, note: alert.resolutionNote },
      });
      return alertView(alert);
    });
  }

  /** Appends the stream event and tells every API process at commit (NOTIFY is transactional); escalation appends its own. */
  async event(tx: Tx, alert: Alert, type: AlertEventType, extra: Record<string, unknown> = {}): Promise<void> {
    const payload = { ...alertView(alert), ...extra };
    // Event ids are the stream's cursor: they must commit in id order within a clinic, or a client
    // could move past one still uncommitted. Writers of a clinic's events take turns until commit.
    await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`alert-events:${alert.clinicId}`]);
    const [row] = await tx.manager.query<{ id: string }[]>(
      `INSERT INTO alert_events (clinic_id, alert_id, type, payload) VALUES ($1, $2, $3, $4) RETURNING id`,
      [alert.clinicId, alert.id, type, JSON.stringify(payload)],
    );
    await tx.manager.query('SELECT pg_notify($1, $2)', [ALERT_EVENTS_CHANNEL, JSON.stringify({ clinicId: alert.clinicId, id: row?.id })]);
  }

  /** A stream event about a session rather than an alert (observation complete). */
  async sessionEvent(tx: Tx, clinicId: string, sessionId: string, type: AlertEventType, payload: Record<string, unknown>): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`alert-events:${clinicId}`]);
    const [row] = await tx.manager.query<{ id: string }[]>(
      `INSERT INTO alert_events (clinic_id, session_id, type, payload) VALUES ($1, $2, $3, $4) RETURNING id`,
      [clinicId, sessionId, type, JSON.stringify({ sessionId, ...payload })],
    );
    await tx.manager.query('SELECT pg_notify($1, $2)', [ALERT_EVENTS_CHANNEL, JSON.stringify({ clinicId, id: row?.id })]);
  }

  private async stopEscalation(tx: Tx, alertId: string): Promise<void> {
    await this.pendingWork.cancel(tx, JobName.EscalateAlertToSession, alertId);
    await this.pendingWork.cancel(tx, JobName.EscalateAlertToAll, alertId);
  }

  private async lockInClinic(tx: Tx, actor: Actor, id: string): Promise<Alert> {
    const alert = await tx.manager
      .createQueryBuilder(Alert, 'a')
      .setLock('pessimistic_write')
      .where('a.id = :id AND a.clinic_id = :clinicId', { id, clinicId: actor.clinicId })
      .getOne();
    if (!alert) throw DomainError.notFound('Alert');
    return alert;
  }

  private checkRole(actor: Actor, alert: Alert, verb: string): void {
    if (alert.level === 'critical' && actor.role !== 'anesthesiologist')
      throw DomainError.forbidden(`Only an anesthesiologist may ${verb} a critical alert`);
  }

  /** Unresolved alerts of these sessions (for the board and the session view). */
  async unresolvedFor(sessionIds: string[]): Promise<Alert[]> {
    if (!sessionIds.length) return [];
    return this.dataSource
      .getRepository(Alert)
      .find({ where: { sessionId: In(sessionIds), status: In(['open', 'acknowledged']) }, order: { openedAt: 'ASC' } });
  }

  /** Events after `afterId` for a clinic, in order: the stream and its replay. */
  async eventsAfter(clinicId: string, afterId: string, limit = 500): Promise<AlertEvent[]> {
    return this.dataSource
      .createQueryBuilder(AlertEvent, 'e')
      .where('e.clinic_id = :clinicId AND e.id > :afterId', { clinicId, afterId })
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  async latestEventId(clinicId: string): Promise<string> {
    const row = await this.dataSource
      .createQueryBuilder(AlertEvent, 'e')
      .select('COALESCE(MAX(e.id), 0)', 'max')
      .where('e.clinic_id = :clinicId', { clinicId })
      .getRawOne<{ max: string }>();
    return String(row?.max ?? '0');
  }
}
