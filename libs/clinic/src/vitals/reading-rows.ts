import type { EntityManager } from 'typeorm';
import type { Breach, EarlierDeviceReading } from './evaluate.js';
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

/**
 * Per session, the device readings stored before a time (its 50 latest, current ones, oldest
 * first): what a device warning's run is judged on. One statement for all the sessions.
 */
export async function earlierDeviceReadings(m: EntityManager, before: Map<string, Date>): Promise<Map<string, EarlierDeviceReading[]>> {
  const history = new Map<string, EarlierDeviceReading[]>([...before.keys()].map((id) => [id, []]));
  if (before.size === 0) return history;
  const rows = await m.query<Array<{ sessionId: string; deviceId: string | null; measuredAt: Date; breaches: Breach[] }>>(
    `SELECT k.session_id AS "sessionId", r.device_id AS "deviceId", r.measured_at AS "measuredAt", r.breaches
       FROM unnest($1::uuid[], $2::timestamptz[]) AS k(session_id, before)
       CROSS JOIN LATERAL (
         SELECT v.device_id, v.measured_at, v.breaches FROM vital_readings v
          WHERE v.session_id = k.session_id AND v.source = 'device' AND v.measured_at < k.before AND v.superseded_at IS NULL
          ORDER BY v.measured_at DESC LIMIT 50
       ) r
      ORDER BY k.session_id, r.measured_at`,
    [[...before.keys()], [...before.values()]],
  );
  for (const r of rows)
    history.get(r.sessionId)!.push({ deviceId: r.deviceId, measuredAt: r.measuredAt, breached: r.breaches.map((b) => b.measure) });
  return history;
}
