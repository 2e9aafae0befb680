import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface DoseHistory {
  /** Sessions of this protocol in which the patient was dosed. */
  sessionsCompleted: number;
  /** mg/kg of the last weight-based dose, for the step rule. */
  lastMgPerKg: number | null;
  /** Every dose given under this protocol, for "84 mg only after 56 mg". */
  dosesMg: number[];
}

/** What the patient has already received under a protocol: read from the sessions that reached dosing. */
@Injectable()
export class DoseHistorySource {
  async forPatient(
    m: EntityManager,
    clinicId: string,
    patientId: string,
    protocolKey: string,
    excludeSessionId?: string,
  ): Promise<DoseHistory> {
    const rows: { dose_mg: string | null; dose_mg_per_kg: string | null }[] = await m.query(
      `SELECT dose_mg, dose_mg_per_kg FROM sessions
        WHERE clinic_id = $1 AND patient_id = $2 AND protocol_key = $3 AND dosing_started_at IS NOT NULL
          AND ($4::uuid IS NULL OR id <> $4::uuid)
        ORDER BY dosing_started_at ASC`,
      [clinicId, patientId, protocolKey, excludeSessionId ?? null],
    );
    const last = rows[rows.length - 1];
    return {
      sessionsCompleted: rows.length,
      lastMgPerKg: last?.dose_mg_per_kg != null ? Number(last.dose_mg_per_kg) : null,
      dosesMg: rows.filter((r) => r.dose_mg !== null).map((r) => Number(r.dose_mg)),
    };
  }
}
