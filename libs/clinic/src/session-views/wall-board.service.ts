import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ageInYears, Clock, localDate, type Actor } from '#platform';
import type { VitalsSchedule } from '../protocols/index.js';
import { ACTIVE_STATUSES, type SessionStatus } from '../sessions/index.js';
import { readingEveryMin } from '../vitals/index.js';
import {
  byChair,
  initialsOf,
  TREND_WINDOW_MIN,
  vitalsDueAt,
  type LatestValue,
  type WallAlert,
  type WallBoard,
  type WallTile,
} from './wall-board.js';

/** The latest value of each measure, from the (session_id, measured_at) index; corrected readings left out. */
const latest = (alias: string, columns: string, measure: string) => `
  LEFT JOIN LATERAL (
    SELECT ${columns}, measured_at FROM vital_readings
     WHERE session_id = s.id AND superseded_at IS NULL AND ${measure} IS NOT NULL
     ORDER BY measured_at DESC LIMIT 1
  ) ${alias} ON true`;

const SESSIONS_SQL = `
  SELECT s.id, s.status, s.chair_label, s.dosing_started_at, s.dosing_ended_at, s.observation_from, s.last_reading_at,
         pv.key AS protocol_key, pv.name AS protocol_name, pv.min_observation_min, pv.vitals,
         p.first_name, p.last_name, p.date_of_birth::text AS date_of_birth, an.name AS anesthesiologist,
         bp.systolic, bp.diastolic, bp.measured_at AS bp_at, hr.heart_rate, hr.measured_at AS hr_at,
         ox.spo2, ox.measured_at AS spo2_at, rr.respiratory_rate, rr.measured_at AS rr_at,
         lr.breach_level, COALESCE(a.alerts, '[]'::json) AS alerts
    FROM sessions s
    JOIN patients p ON p.id = s.patient_id
    JOIN protocol_versions pv ON pv.id = s.protocol_version_id
    LEFT JOIN users an ON an.id = s.anesthesiologist_user_id
    ${latest('bp', 'systolic, diastolic', 'systolic')}
    ${latest('hr', 'heart_rate', 'heart_rate')}
    ${latest('ox', 'spo2', 'spo2')}
    ${latest('rr', 'respiratory_rate', 'respiratory_rate')}
    LEFT JOIN LATERAL (
      SELECT breach_level FROM vital_readings WHERE session_id = s.id AND superseded_at IS NULL
       ORDER BY measured_at DESC, recorded_at DESC LIMIT 1
    ) lr ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('id', al.id, 'measure', al.measure, 'level', al.level, 'status', al.status,
                                        'message', al.message, 'openedAt', al.opened_at, 'acknowledgedAt', al.acknowledged_at,
                                        'acknowledgedBy', u.name, 'escalationLevel', al.escalation_level)
                      ORDER BY al.opened_at) AS alerts
        FROM alerts al LEFT JOIN users u ON u.id = al.acknowledged_by
       WHERE al.session_id = s.id AND al.status <> 'resolved'
    ) a ON true
   WHERE s.clinic_id = $1 AND s.status = ANY($2)
   ORDER BY s.checked_in_at NULLS LAST, s.created_at`;

const TREND_SQL = `
  SELECT session_id, measured_at, systolic, diastolic, heart_rate, spo2 FROM vital_readings
   WHERE session_id = ANY($1::uuid[]) AND measured_at >= $2 AND superseded_at IS NULL
   ORDER BY session_id, measured_at, recorded_at`;

/**
 * The infusion floor as the wall board page shows it: every active session in chair order with the
 * patient's initials and age (never a name or record number: the page is read across the room), its
 * phase and times, the latest value of each vital sign with its age, the last hour's trend, and its
 * unresolved alerts with who acknowledged them. Three queries whatever the number of sessions.
 */
@Injectable()
export class WallBoardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async board(actor: Actor): Promise<WallBoard> {
    const now = this.clock.now();
    const [clinic] = await this.dataSource.query<Array<{ name: string; time_zone: string }>>(
      'SELECT name, time_zone FROM clinics WHERE id = $1',
      [actor.clinicId],
    );
    const rows = await this.dataSource.query<SessionRow[]>(SESSIONS_SQL, [actor.clinicId, ACTIVE_STATUSES]);
    const since = new Date(now.getTime() - TREND_WINDOW_MIN * 60_000);
    const points = rows.length ? await this.dataSource.query<TrendRow[]>(TREND_SQL, [rows.map((r) => r.id), since]) : [];
    const today = localDate(now, clinic.time_zone);
    const bySession = new Map<string, TrendRow[]>();
    for (const p of points) bySession.set(p.session_id, [...(bySession.get(p.session_id) ?? []), p]);
    const sessions = rows.map((r) => tileOf(r, bySession.get(r.id) ?? [], today)).sort(byChair);
    return {
      clinic: { name: clinic.name, timeZone: clinic.time_zone },
      now: now.toISOString(),
      trendWindowMin: TREND_WINDOW_MIN,
      sessions,
    };
  }
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const value = (v: number | null, at: Date | string | null): LatestValue | null =>
  v === null || !at ? null : { value: v, measuredAt: iso(at)! };

function tileOf(r: SessionRow, points: TrendRow[], today: string): WallTile {
  const eligibleAt = r.observation_from ? new Date(new Date(r.observation_from).getTime() + r.min_observation_min * 60_000) : null;
  const due = vitalsDueAt(
    { status: r.status, dosingStartedAt: r.dosing_started_at, dosingEndedAt: r.dosing_ended_at, lastReadingAt: r.last_reading_at },
    readingEveryMin(r.vitals, r.status),
  );
  return {
    sessionId: r.id,
    chairLabel: r.chair_label,
    patient: { initials: initialsOf(r.first_name, r.last_name), age: ageInYears(r.date_of_birth, today) },
    protocol: { key: r.protocol_key, name: r.protocol_name },
    status: r.status,
    dosingStartedAt: iso(r.dosing_started_at),
    dosingEndedAt: iso(r.dosing_ended_at),
    observation: { from: iso(r.observation_from), minimumMin: r.min_observation_min, eligibleAt: iso(eligibleAt) },
    anesthesiologist: r.anesthesiologist,
    vitals: {
      staleAfterMin: r.vitals.dischargeMaxAgeMin,
      dueAt: iso(due),
      overdueAfterMin: r.vitals.overdueAfterMin,
      breachLevel: r.breach_level ?? 'none',
      systolic: value(r.systolic, r.bp_at),
      diastolic: value(r.diastolic, r.bp_at),
      heartRate: value(r.heart_rate, r.hr_at),
      spo2: value(r.spo2, r.spo2_at),
      respiratoryRate: value(r.respiratory_rate, r.rr_at),
    },
    trend: {
      t: points.map((p) => Math.floor(new Date(p.measured_at).getTime() / 1000)),
      systolic: points.map((p) => p.systolic),
      diastolic: points.map((p) => p.diastolic),
      heartRate: points.map((p) => p.heart_rate),
      spo2: points.map((p) => p.spo2),
    },
    alerts: r.alerts.map((a) => ({ ...a, openedAt: iso(a.openedAt)!, acknowledgedAt: iso(a.acknowledgedAt) })),
  };
}

interface SessionRow {
  id: string;
  status: SessionStatus;
  chair_label: string | null;
  dosing_started_at: Date | null;
  dosing_ended_at: Date | null;
  observation_from: Date | null;
  last_reading_at: Date | null;
  protocol_key: string;
  protocol_name: string;
  min_observation_min: number;
  vitals: VitalsSchedule;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  anesthesiologist: string | null;
  systolic: number | null;
  diastolic: number | null;
  bp_at: Date | null;
  heart_rate: number | null;
  hr_at: Date | null;
  spo2: number | null;
  spo2_at: Date | null;
  respiratory_rate: number | null;
  rr_at: Date | null;
  breach_level: 'none' | 'warning' | 'critical' | null;
  alerts: Array<Omit<WallAlert, 'openedAt' | 'acknowledgedAt'> & { openedAt: string; acknowledgedAt: string | null }>;
}

interface TrendRow {
  session_id: string;
  measured_at: Date;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  spo2: number | null;
}
