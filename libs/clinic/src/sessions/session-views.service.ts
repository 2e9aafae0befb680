import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, Clock, TransactionRunner, type Actor } from '#platform';
import { Alert, AlertEvent } from '../alerts/alert.entity.js';
import { alertView, type AlertView } from '../alerts/alerts.service.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { VitalReading } from '../vitals/vital-reading.entity.js';
import { Session, SessionEvent } from './session.entity.js';
import { ACTIVE_STATUSES, type SessionStatus } from './session-state.js';
import { SessionsService } from './sessions.service.js';

export interface TimelineEntry {
  at: string;
  kind: 'event' | 'vitals' | 'alert';
  type: string;
  actorUserId: string | null;
  data: Record<string, unknown>;
}

export interface SessionView {
  id: string;
  patientId: string;
  protocol: string;
  protocolVersionId: string;
  appointmentId: string | null;
  status: SessionStatus;
  nurseUserId: string | null;
  anesthesiologistUserId: string | null;
  chairLabel: string | null;
  preChecks: Session['preChecks'];
  startOverrides: Session['startOverrides'];
  baselineReadingId: string | null;
  dose: {
    mgPerKg: number | null;
    orderedDoseMg: number | null;
    doseMg: number | null;
    weightKg: number | null;
    concentrationMgPerMl: number | null;
    rateMgPerH: number | null;
    rateMlPerH: number | null;
    durationMin: number | null;
    devices: number | null;
  };
  checkedInAt: string | null;
  dosingStartedAt: string | null;
  dosingEndedAt: string | null;
  observationFrom: string | null;
  endedAt: string | null;
  lastReadingAt: string | null;
  createdAt: string;
  version: number;
}

export interface BoardEntry {
  sessionId: string;
  patient: { id: string; mrn: string; firstName: string; lastName: string };
  protocol: string;
  status: SessionStatus;
  chairLabel: string | null;
  anesthesiologistUserId: string | null;
  doseMg: number | null;
  rateMlPerH: number | null;
  elapsedMin: number | null;
  observation: { minimumMin: number; elapsedMin: number | null; remainingMin: number | null };
  latestVitals: {
    measuredAt: string;
    systolic: number | null;
    diastolic: number | null;
    heartRate: number | null;
    spo2: number | null;
    respiratoryRate: number | null;
    moaas: number | null;
    breachLevel: string;
  } | null;
  openAlerts: { id: string; measure: string; level: string; status: string; message: string; openedAt: string }[];
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function sessionView(s: Session): SessionView {
  return {
    id: s.id,
    patientId: s.patientId,
    protocol: s.protocolKey,
    protocolVersionId: s.protocolVersionId,
    appointmentId: s.appointmentId,
    status: s.status,
    nurseUserId: s.nurseUserId,
    anesthesiologistUserId: s.anesthesiologistUserId,
    chairLabel: s.chairLabel,
    preChecks: s.preChecks,
    startOverrides: s.startOverrides,
    baselineReadingId: s.baselineReadingId,
    dose: {
      mgPerKg: s.doseMgPerKg,
      orderedDoseMg: s.orderedDoseMg,
      doseMg: s.doseMg,
      weightKg: s.weightKg,
      concentrationMgPerMl: s.concentrationMgPerMl,
      rateMgPerH: s.rateMgPerH,
      rateMlPerH: s.rateMlPerH,
      durationMin: s.durationMin,
      devices: s.devices,
    },
    checkedInAt: iso(s.checkedInAt),
    dosingStartedAt: iso(s.dosingStartedAt),
    dosingEndedAt: iso(s.dosingEndedAt),
    observationFrom: iso(s.observationFrom),
    endedAt: iso(s.endedAt),
    lastReadingAt: iso(s.lastReadingAt),
    createdAt: s.createdAt.toISOString(),
    version: s.version,
  };
}

/** What staff read: one session with its whole timeline, the clinic's sessions, and the live board. */
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

  /** The session and its timeline in time order (transitions, dose events, vitals, alert lifecycle); the read is audited. */
  async get(
    actor: Actor,
    id: string,
  ): Promise<
    SessionView & {
      timeline: TimelineEntry[];
      alerts: AlertView[];
      observation: { minimumMin: number; elapsedMin: number | null; remainingMin: number | null };
    }
  > {
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const s = await this.sessions.find(m, actor.clinicId, id);
      const events = await m.find(SessionEvent, { where: { sessionId: id }, order: { occurredAt: 'ASC' } });
      const readings = await m.find(VitalReading, { where: { sessionId: id }, order: { measuredAt: 'ASC' } });
      const alerts = await m.find(Alert, { where: { sessionId: id }, order: { openedAt: 'ASC' } });
      const alertEvents = alerts.length
        ? await m
            .createQueryBuilder(AlertEvent, 'e')
            .where('e.alert_id IN (:...ids)', { ids: alerts.map((a) => a.id) })
            .orderBy('e.id')
            .getMany()
        : [];
      const timeline: TimelineEntry[] = [
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
            baseline: r.id === s.baselineReadingId,
          },
        })),
        ...alertEvents.map((e) => ({
          at: e.createdAt.toISOString(),
          kind: 'alert' as const,
          type: e.type,
          actorUserId: (e.type === 'acknowledged'
            ? e.payload['acknowledgedBy']
            : e.type === 'resolved'
              ? e.payload['resolvedBy']
              : null) as string | null,
          data: { alertId: e.alertId, measure: e.payload['measure'], level: e.payload['level'], message: e.payload['message'] },
        })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      await this.audit.record(tx, { action: 'session.read', resourceType: 'session', resourceId: id, changes: { patientId: s.patientId } });
      const minimumMin = (await this.protocols.version(s.clinicId, s.protocolVersionId, m)).minObservationMin;
      const elapsedMin = s.observationFrom
        ? Math.max(0, Math.floor(((s.endedAt ?? this.clock.now()).getTime() - s.observationFrom.getTime()) / 60_000))
        : null;
      const observation = { minimumMin, elapsedMin, remainingMin: elapsedMin === null ? null : Math.max(0, minimumMin - elapsedMin) };
      return { ...sessionView(s), observation, timeline, alerts: alerts.map(alertView) };
    });
  }

  async list(actor: Actor, f: { status?: SessionStatus; date?: string; patientId?: string; limit: number }): Promise<SessionView[]> {
    const q = this.dataSource.createQueryBuilder(Session, 's').where('s.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.status) q.andWhere('s.status = :status', { status: f.status });
    if (f.patientId) q.andWhere('s.patient_id = :patientId', { patientId: f.patientId });
    if (f.date)
      q.andWhere(`(COALESCE(s.checked_in_at, s.created_at) AT TIME ZONE c.time_zone)::date = :date`, { date: f.date }).innerJoin(
        'clinics',
        'c',
        'c.id = s.clinic_id',
      );
    const rows = await q.orderBy('s.created_at', 'DESC').limit(f.limit).getMany();
    return rows.map(sessionView);
  }

  /**
   * Every active session of the clinic with patient, state, dose, latest vitals, open alerts and
   * observation time: one query, whatever the number of sessions or stored readings (the latest
   * reading comes from the (session_id, measured_at) index).
   */
  async board(actor: Actor): Promise<BoardEntry[]> {
    const now = this.clock.now();
    const rows: BoardRow[] = await this.dataSource.query(
      `SELECT s.id, s.status, s.protocol_key, s.chair_label, s.anesthesiologist_user_id, s.dose_mg, s.rate_ml_per_h,
              s.checked_in_at, s.observation_from, pv.min_observation_min,
              p.id AS patient_id, p.mrn, p.first_name, p.last_name,
              v.measured_at, v.systolic, v.diastolic, v.heart_rate, v.spo2, v.respiratory_rate, v.moaas, v.breach_level,
              COALESCE(a.alerts, '[]'::json) AS alerts
         FROM sessions s
         JOIN patients p ON p.id = s.patient_id
         JOIN protocol_versions pv ON pv.id = s.protocol_version_id
         LEFT JOIN LATERAL (
           SELECT measured_at, systolic, diastolic, heart_rate, spo2, respiratory_rate, moaas, breach_level
             FROM vital_readings WHERE session_id = s.id ORDER BY measured_at DESC LIMIT 1
         ) v ON true
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object('id', al.id, 'measure', al.measure, 'level', al.level, 'status', al.status,
                                             'message', al.message, 'openedAt', al.opened_at) ORDER BY al.opened_at) AS alerts
             FROM alerts al WHERE al.session_id = s.id AND al.status <> 'resolved'
         ) a ON true
        WHERE s.clinic_id = $1 AND s.status = ANY($2)
        ORDER BY s.checked_in_at NULLS LAST, s.created_at`,
      [actor.clinicId, ACTIVE_STATUSES],
    );
    const minutes = (from: Date | null) => (from ? Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 60_000)) : null);
    return rows.map((r) => {
      const observed = minutes(r.observation_from);
      return {
        sessionId: r.id,
        patient: { id: r.patient_id, mrn: r.mrn, firstName: r.first_name, lastName: r.last_name },
        protocol: r.protocol_key,
        status: r.status,
        chairLabel: r.chair_label,
        anesthesiologistUserId: r.anesthesiologist_user_id,
        doseMg: r.dose_mg === null ? null : Number(r.dose_mg),
        rateMlPerH: r.rate_ml_per_h === null ? null : Number(r.rate_ml_per_h),
        elapsedMin: minutes(r.checked_in_at),
        observation: {
          minimumMin: r.min_observation_min,
          elapsedMin: observed,
          remainingMin: observed === null ? null : Math.max(0, r.min_observation_min - observed),
        },
        latestVitals: r.measured_at
          ? {
              measuredAt: new Date(r.measured_at).toISOString(),
              systolic: r.systolic,
              diastolic: r.diastolic,
              heartRate: r.heart_rate,
              spo2: r.spo2,
              respiratoryRate: r.respiratory_rate,
              moaas: r.moaas,
              breachLevel: r.breach_level ?? 'none',
            }
          : null,
        openAlerts: r.alerts.map((a) => ({ ...a, openedAt: new Date(a.openedAt).toISOString() })),
      };
    });
  }
}

interface BoardRow {
  id: string;
  status: SessionStatus;
  protocol_key: string;
  chair_label: string | null;
  anesthesiologist_user_id: string | null;
  dose_mg: string | null;
  rate_ml_per_h: string | null;
  checked_in_at: Date | null;
  observation_from: Date | null;
  min_observation_min: number;
  patient_id: string;
  mrn: string;
  first_name: string;
  last_name: string;
  measured_at: Date | null;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  spo2: number | null;
  respiratory_rate: number | null;
  moaas: number | null;
  breach_level: string | null;
  alerts: { id: string; measure: string; level: string; status: string; message: string; openedAt: string }[];
}
