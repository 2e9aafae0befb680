import type { EntityManager } from 'typeorm';
import { DomainError } from '#platform';
import type { ProtocolVersion, ThresholdOverrides, ThresholdSet } from '../protocols/index.js';
import type { Session } from '../sessions/index.js';
import { effectiveThresholds } from '../thresholds/index.js';
import { alertKey } from './answered-alerts.js';
import { deviceKey, type SessionContext } from './judge.js';
import { VitalReading } from './vital-reading.entity.js';

/** A device reading of the group: already stored (same session, device and measurement time) it is a resend or a correction. */
export interface ReadingKey {
  sessionId: string;
  deviceId?: string | null;
  measuredAt: Date;
}

interface ContextRow {
  kind: 'session' | 'stored';
  sessionId: string | null;
  clinicThresholds: ThresholdSet | null;
  patientThresholds: ThresholdOverrides | null;
  preDoseMoaas: number | null;
  unresolvedAlerts: string[] | null;
}

/**
 * What a group's locked sessions are judged on, in one statement for all of them: per session the
 * clinic's thresholds (its own settings row, else Vigil's defaults), the patient's overrides, the
 * baseline reading (unless superseded) and, when the baseline has no MOAA/S, the latest pre-dose one;
 * and the current readings already stored under the group's device readings' keys (a resend writes
 * nothing, a correction supersedes them); the sessions' unresolved alerts, as `alertKey`s. The
 * protocol versions come from ProtocolsService (cached: a version never changes).
 */
export async function judgingContexts(
  m: EntityManager,
  sessions: Array<{ s: Session; protocol: ProtocolVersion }>,
  readings: ReadingKey[],
): Promise<{ contexts: Map<string, SessionContext>; stored: Map<string, VitalReading>; unresolved: Set<string> }> {
  const rows = await contextRows(m, sessions, readings);
  const byId = new Map(rows.flatMap((row) => (row.kind === 'session' ? [[row.sessionId!, row] as const] : [])));
  const contexts = new Map<string, SessionContext>();
  const unresolved = new Set<string>();
  for (const { s, protocol } of sessions) {
    const row = byId.get(s.id)!;
    for (const measure of row.unresolvedAlerts!) unresolved.add(alertKey(s.id, measure));
    if (!row.clinicThresholds) throw DomainError.notFound('Clinic settings');
    contexts.set(s.id, {
      s,
      protocol,
      t: effectiveThresholds({ thresholds: row.clinicThresholds }, protocol, row.patientThresholds),
      baseline: readingOf(m, row),
      preDoseMoaas: row.preDoseMoaas,
      changed: false,
      requestId: null,
    });
  }
  const stored = new Map<string, VitalReading>();
  for (const row of rows) {
    const r = row.kind === 'stored' ? readingOf(m, row) : null;
    if (r) stored.set(deviceKey(r.sessionId, r.deviceId!, r.measuredAt), r);
  }
  return { contexts, stored, unresolved };
}

function contextRows(m: EntityManager, sessions: Array<{ s: Session }>, readings: ReadingKey[]): Promise<ContextRow[]> {
  const keyed = readings.filter((r) => r.deviceId);
  // The stored readings: one index probe per key (LATERAL, kept from being flattened by OFFSET 0): as a plain
  // join the planner may hash it against every stored reading (bench/RESULTS.md: 500-reading batches stalled on it).
  return m.query<ContextRow[]>(
    `SELECT 'session' AS kind, k.id AS "sessionId",
            (SELECT c.thresholds FROM clinic_settings c WHERE c.clinic_id = k.clinic_id OR c.clinic_id IS NULL
              ORDER BY c.clinic_id ASC NULLS LAST LIMIT 1) AS "clinicThresholds",
            pt.thresholds AS "patientThresholds",
            CASE WHEN r.moaas IS NOT NULL THEN r.moaas ELSE (
              SELECT p.moaas FROM vital_readings p
               WHERE p.session_id = k.id AND p.phase = 'pre-dose' AND p.moaas IS NOT NULL AND p.superseded_at IS NULL
               ORDER BY p.measured_at DESC LIMIT 1) END AS "preDoseMoaas",
            ARRAY(SELECT a.measure FROM alerts a WHERE a.session_id = k.id AND a.status <> 'resolved') AS "unresolvedAlerts",
            ${readingColumns(m, 'r')}
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[]) AS k(id, clinic_id, patient_id, baseline_id)
       LEFT JOIN patient_thresholds pt ON pt.patient_id = k.patient_id
       LEFT JOIN vital_readings r ON r.id = k.baseline_id AND r.superseded_at IS NULL
     UNION ALL
     SELECT 'stored', NULL, NULL, NULL, NULL, NULL, ${readingColumns(m, 'r')}
       FROM unnest($5::uuid[], $6::text[], $7::timestamptz[]) AS k(session_id, device_id, measured_at)
       CROSS JOIN LATERAL (
         SELECT * FROM vital_readings v
          WHERE v.session_id = k.session_id AND v.device_id = k.device_id AND v.measured_at = k.measured_at AND v.superseded_at IS NULL
         OFFSET 0
       ) r`,
    [
      sessions.map(({ s }) => s.id),
      sessions.map(({ s }) => s.clinicId),
      sessions.map(({ s }) => s.patientId),
      sessions.map(({ s }) => s.baselineReadingId),
      keyed.map((r) => r.sessionId),
      keyed.map((r) => r.deviceId),
      keyed.map((r) => r.measuredAt),
    ],
  );
}

/** A reading's columns as `r_<column>`, for `readingOf`. */
export function readingColumns(m: EntityManager, alias: string): string {
  return columnsOf(m)
    .map((c) => `${alias}."${c.databaseName}" AS "r_${c.databaseName}"`)
    .join(', ');
}

/** The reading selected with `readingColumns`, read back as TypeORM reads an entity (dates, the numeric temperature); null when absent. */
export function readingOf(m: EntityManager, selected: object): VitalReading | null {
  const row = selected as Record<string, unknown>;
  if (row['r_id'] == null) return null;
  const reading = m.dataSource.getMetadata(VitalReading).create() as VitalReading;
  for (const c of columnsOf(m)) c.setEntityValue(reading, m.dataSource.driver.prepareHydratedValue(row[`r_${c.databaseName}`], c));
  return reading;
}

function columnsOf(m: EntityManager) {
  return m.dataSource.getMetadata(VitalReading).columns.filter((c) => !c.isVirtual);
}
