import type { DataSource } from 'typeorm';
import {
  OBSERVATION_KIND_NAMES,
  OBSERVATION_KINDS,
  type KindMatch,
  type ObservationKind,
  type ObservationSource,
} from './observation-kinds.js';
import type { FhirResource } from './resource.js';
import {
  toAssessmentObservation,
  toDissociationObservation,
  toSedationObservation,
  type AssessmentRow,
  type DissociationCheckRow,
} from './survey-observations.js';
import { toVitalObservation, type VitalKind, type VitalRow } from './vital-observations.js';
import { toWeightObservation, type WeightRow } from './weight-observation.js';

/*
 * The tables Observations come from, as one ordered stream of keys (time, row id, kind order): a
 * UNION ALL with one branch per table that the search can match, each filtered by the clinic, the
 * patient, the dates, the ids and the kinds asked for; then the rows of one page are read whole.
 */

/** What a search selects, already parsed: each list is ORed, the lists ANDed. */
export interface ObservationFilter {
  clinicId: string;
  patients: string[][];
  ids: Array<Array<{ rowId: string; kind: ObservationKind }>>;
  kinds: Map<ObservationKind, KindMatch>;
  from?: Date;
  to?: Date;
  /** Bulk export's `_since`: last updated (meta.lastUpdated) after it. */
  since?: Date;
  after?: { at: string; id: string; k: number };
  descending: boolean;
}

export interface ObservationKey {
  src: ObservationSource;
  id: string;
  kind: ObservationKind;
  ord: number;
  at: Date;
}

interface Branch {
  from: string;
  where: string;
  id: string;
  kind: string;
  ord: string;
  at: string;
  patient: string;
  /** What meta.lastUpdated shows. */
  updated: string;
}

const READING_KINDS = OBSERVATION_KIND_NAMES.filter((k) => OBSERVATION_KINDS[k].source === 'reading');
const MEASURED: Record<string, string> = {
  bp: 'v.systolic IS NOT NULL AND v.diastolic IS NOT NULL',
  hr: 'v.heart_rate IS NOT NULL',
  rr: 'v.respiratory_rate IS NOT NULL',
  spo2: 'v.spo2 IS NOT NULL',
  temp: 'v.temperature_c IS NOT NULL',
  moaas: 'v.moaas IS NOT NULL',
};
const READING_VALUES = READING_KINDS.map((k) => `(${OBSERVATION_KINDS[k].ord}, '${k}')`).join(', ');

const BRANCHES: Record<ObservationSource, Branch> = {
  reading: {
    from: `vital_readings v JOIN sessions s ON s.id = v.session_id CROSS JOIN LATERAL (VALUES ${READING_VALUES}) AS k(ord, kind)`,
    where: `v.clinic_id = $1 AND v.superseded_at IS NULL AND (${READING_KINDS.map((k) => `(k.kind = '${k}' AND ${MEASURED[k]})`).join(' OR ')})`,
    id: 'v.id',
    kind: 'k.kind',
    ord: 'k.ord',
    at: 'v.measured_at',
    patient: 's.patient_id',
    updated: 'v.recorded_at',
  },
  weight: {
    from: 'patient_weights w',
    where: 'w.clinic_id = $1',
    id: 'w.id',
    kind: `'weight'`,
    ord: '1',
    at: 'w.measured_at',
    patient: 'w.patient_id',
    updated: 'w.created_at',
  },
  assessment: {
    from: 'assessments a',
    where: `a.clinic_id = $1 AND a.instrument IN ('PHQ9', 'GAD7', 'CADSS6')`,
    id: 'a.id',
    kind: 'lower(a.instrument)',
    ord: '1',
    at: 'a.administered_at',
    patient: 'a.patient_id',
    updated: 'a.recorded_at',
  },
  check: {
    from: 'observation_checks c JOIN sessions s ON s.id = c.session_id',
    where: 'c.clinic_id = $1 AND c.cadss6_total IS NOT NULL',
    id: 'c.id',
    kind: `'cadss6-check'`,
    ord: '1',
    at: 'c.checked_at',
    patient: 's.patient_id',
    updated: 'c.checked_at',
  },
};

type Arg = (value: unknown) => string;

/** The branch of one table, or null when the search can match nothing in it. */
function branchSql(src: ObservationSource, f: ObservationFilter, arg: Arg): string | null {
  const b = BRANCHES[src];
  const mine = OBSERVATION_KIND_NAMES.filter((k) => OBSERVATION_KINDS[k].source === src);
  const any = mine.filter((k) => f.kinds.get(k) === 'any');
  const device = src === 'reading' ? mine.filter((k) => f.kinds.get(k) === 'device') : [];
  if (!any.length && !device.length) return null;
  const where = [b.where];
  if (any.length < mine.length) {
    const options = [
      ...(any.length ? [`${b.kind} = ANY(${arg(any)}::text[])`] : []),
      ...(device.length ? [`(${b.kind} = ANY(${arg(device)}::text[]) AND v.source = 'device')`] : []),
    ];
    where.push(`(${options.join(' OR ')})`);
  }
  for (const list of f.patients) where.push(`${b.patient} = ANY(${arg(list)}::uuid[])`);
  for (const list of f.ids) {
    const here = list.filter((x) => OBSERVATION_KINDS[x.kind].source === src);
    if (!here.length) return null;
    where.push(`(${here.map((x) => `(${b.id} = ${arg(x.rowId)}::uuid AND ${b.kind} = ${arg(x.kind)}::text)`).join(' OR ')})`);
  }
  if (f.from) where.push(`${b.at} >= ${arg(f.from)}`);
  if (f.to) where.push(`${b.at} < ${arg(f.to)}`);
  if (f.since) where.push(`${b.updated} > ${arg(f.since)}`);
  const keys = `SELECT '${src}' AS src, ${b.id} AS id, ${b.kind} AS kind, ${b.ord} AS ord, ${b.at} AS at FROM ${b.from}`;
  return `${keys} WHERE ${where.join(' AND ')}`;
}

/** The matching Observations' keys: their count, and one page of them (`limit`) after the cursor, in order. */
export async function observationKeys(
  db: DataSource,
  f: ObservationFilter,
  limit: number,
  opts: { total: boolean } = { total: true },
): Promise<{ total: number; keys: ObservationKey[] }> {
  const params: unknown[] = [f.clinicId];
  const arg: Arg = (v) => `$${params.push(v)}`;
  const branches = (Object.keys(BRANCHES) as ObservationSource[]).map((src) => branchSql(src, f, arg)).filter((s) => s !== null);
  if (!branches.length) return { total: 0, keys: [] };
  const union = branches.join(' UNION ALL ');
  const [{ total }] = opts.total
    ? await db.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM (${union}) o`, params)
    : [{ total: -1 }];
  const dir = f.descending ? 'DESC' : 'ASC';
  const keyset = f.after
    ? ` WHERE (o.at, o.id, o.ord) ${f.descending ? '<' : '>'} (${arg(f.after.at)}::timestamptz, ${arg(f.after.id)}::uuid, ${arg(f.after.k)}::int)`
    : '';
  const keys = await db.query<ObservationKey[]>(
    `SELECT * FROM (${union}) o${keyset} ORDER BY o.at ${dir}, o.id ${dir}, o.ord ${dir} LIMIT ${arg(limit)}`,
    params,
  );
  return { total, keys };
}

const HYDRATE: Record<ObservationSource, string> = {
  reading: `SELECT v.id, v.clinic_id AS "clinicId", s.patient_id AS "patientId", v.session_id AS "sessionId",
      v.measured_at AS "measuredAt", v.recorded_at AS "recordedAt", v.source, v.device_id AS "deviceId", v.systolic, v.diastolic,
      v.heart_rate AS "heartRate", v.spo2, v.respiratory_rate AS "respiratoryRate", v.temperature_c::float8 AS "temperatureC",
      v.moaas, v.recorded_by AS "recordedBy",
      (SELECT m.id FROM monitors m WHERE m.clinic_id = v.clinic_id AND m.eui64 = v.device_id
        ORDER BY (m.retired_at IS NULL) DESC, m.created_at DESC LIMIT 1) AS "monitorId"
    FROM vital_readings v JOIN sessions s ON s.id = v.session_id WHERE v.id = ANY($1::uuid[])`,
  weight: `SELECT id, patient_id AS "patientId", weight_kg::float8 AS "weightKg", entered_value::float8 AS "enteredValue",
      entered_unit AS "enteredUnit", measured_at AS "measuredAt", created_at AS "createdAt", recorded_by AS "recordedBy"
    FROM patient_weights WHERE id = ANY($1::uuid[])`,
  assessment: `SELECT id, patient_id AS "patientId", session_id AS "sessionId", instrument, total, band,
      administered_at AS "administeredAt", recorded_at AS "recordedAt", recorded_by AS "recordedBy"
    FROM assessments WHERE id = ANY($1::uuid[])`,
  check: `SELECT c.id, s.patient_id AS "patientId", c.session_id AS "sessionId", c.checked_at AS "checkedAt",
      c.recorded_by AS "recordedBy", c.cadss6_total AS "cadss6Total"
    FROM observation_checks c JOIN sessions s ON s.id = c.session_id WHERE c.id = ANY($1::uuid[])`,
};

function toObservation(key: ObservationKey, row: Record<string, unknown>): FhirResource {
  switch (key.src) {
    case 'reading':
      return key.kind === 'moaas'
        ? toSedationObservation(row as unknown as VitalRow & { moaas: number })
        : toVitalObservation(row as unknown as VitalRow, key.kind as VitalKind);
    case 'weight':
      return toWeightObservation(row as unknown as WeightRow);
    case 'assessment':
      return toAssessmentObservation(row as unknown as AssessmentRow);
    case 'check':
      return toDissociationObservation(row as unknown as DissociationCheckRow);
  }
}

/** The Observations of the keys, in the keys' order: each table read once for the rows it holds. */
export async function observationsOfKeys(db: DataSource, keys: ObservationKey[]): Promise<FhirResource[]> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const src of new Set(keys.map((k) => k.src))) {
    const ids = [...new Set(keys.filter((k) => k.src === src).map((k) => k.id))];
    for (const row of await db.query<Record<string, unknown>[]>(HYDRATE[src], [ids])) rows.set(`${src}:${String(row['id'])}`, row);
  }
  return keys.flatMap((k) => {
    const row = rows.get(`${k.src}:${k.id}`);
    return row ? [toObservation(k, row)] : [];
  });
}
