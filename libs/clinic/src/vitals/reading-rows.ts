import type { EntityManager } from 'typeorm';
import type { VitalReading } from './vital-reading.entity.js';

/** All of a group's new readings in one statement. */
export async function insertReadings(m: EntityManager, rows: VitalReading[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof VitalReading>(k: K) => rows.map((r) => r[k]);
  const inserted: unknown[] = await m.query(
    `INSERT INTO vital_readings (id, clinic_id, session_id, measured_at, source, device_id, phase, systolic, diastolic, heart_rate, spo2,
                                 respiratory_rate, temperature_c, moaas, breach_level, breaches, recorded_by,
                                 superseded_at, superseded_by, superseded_by_reading_id, late, time_offset_assumed)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::smallint[],
                          $9::smallint[], $10::smallint[], $11::smallint[], $12::smallint[], $13::numeric[], $14::smallint[], $15::text[],
                          $16::jsonb[], $17::uuid[], $18::timestamptz[], $19::uuid[], $20::uuid[], $21::boolean[], $22::boolean[])
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      col('id'),
      col('clinicId'),
      col('sessionId'),
      col('measuredAt'),
      col('source'),
      col('deviceId'),
      col('phase'),
      col('systolic'),
      col('diastolic'),
      col('heartRate'),
      col('spo2'),
      col('respiratoryRate'),
      col('temperatureC'),
      col('moaas'),
      col('breachLevel'),
      rows.map((r) => JSON.stringify(r.breaches)),
      col('recordedBy'),
      col('supersededAt'),
      col('supersededBy'),
      col('supersededByReadingId'),
      col('late'),
      col('timeOffsetAssumed'),
    ],
  );
  // The sessions are locked, so nothing else stores their readings meanwhile; if something did,
  // the group is rolled back and each request is run again on its own.
  if (inserted.length !== rows.length) throw new Error(`${rows.length - inserted.length} reading(s) were stored concurrently`);
}

/**
 * Marks stored readings as superseded by their corrections, in one statement, before the corrections
 * are stored (the device's unique key is for current readings; the link to the correction is checked at commit).
 */
export async function markSuperseded(m: EntityManager, rows: VitalReading[]): Promise<void> {
  if (rows.length === 0) return;
  await m.query(
    `UPDATE vital_readings v SET superseded_at = k.at, superseded_by = k.by, superseded_by_reading_id = k.reading
       FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[]) AS k(id, at, by, reading)
      WHERE v.id = k.id AND v.superseded_at IS NULL`,
    [rows.map((r) => r.id), rows.map((r) => r.supersededAt), rows.map((r) => r.supersededBy), rows.map((r) => r.supersededByReadingId)],
  );
}
