import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, type Actor } from '#platform';
import type { AlertLevel, AlertMeasure, AlertStatus } from '../alerts/index.js';
import { ACTIVE_STATUSES, type SessionStatus } from '../sessions/index.js';
import type { BreachLevel } from '../vitals/index.js';

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
    breachLevel: BreachLevel;
  } | null;
  openAlerts: { id: string; measure: AlertMeasure; level: AlertLevel; status: AlertStatus; message: string; openedAt: string }[];
}

/**
 * The live board: a snapshot of the clinic's active sessions (bounded by its chairs, so an array
 * rather than a page), one query whatever the number of sessions or stored readings.
 */
@Injectable()
export class SessionBoardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

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
             FROM vital_readings WHERE session_id = s.id AND superseded_at IS NULL ORDER BY measured_at DESC, recorded_at DESC LIMIT 1
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
  breach_level: BreachLevel | null;
  alerts: { id: string; measure: AlertMeasure; level: AlertLevel; status: AlertStatus; message: string; openedAt: string }[];
}
