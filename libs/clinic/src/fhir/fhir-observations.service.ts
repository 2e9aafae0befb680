import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clinic, DomainError, type Actor } from '#platform';
import { decodeFhirCursor, encodeFhirCursor, type SearchPage } from './bundle.js';
import { OBSERVATION_CATEGORY } from './codes.js';
import { dateBounds } from './date-param.js';
import { UUID, type FhirResource } from './resource.js';
import { parseTokens, patientIdOf, type ParsedSearch } from './search-params.js';
import { KIND_SPECS, parseObservationId, toVitalObservation, VITAL_KINDS, type VitalKind, type VitalRow } from './vital-observations.js';

/*
 * Vital-sign Observations, read straight from vital_readings: each reading (not superseded) expands
 * into one row per measure it holds, ordered by (measured time, reading id, measure) — the keyset
 * the `next` links carry. Audited by the controller, like the REST vitals list.
 */

const COLUMNS = `v.id, v.clinic_id, s.patient_id, v.measured_at, v.recorded_at, v.source, v.device_id, v.systolic, v.diastolic,
  v.heart_rate, v.spo2, v.respiratory_rate, v.temperature_c, k.ord, k.kind`;
const KINDS_SQL = `(VALUES ${VITAL_KINDS.map((k, i) => `(${i + 1}, '${k}')`).join(', ')}) AS k(ord, kind)`;
const MEASURED: Record<VitalKind, string> = {
  bp: 'v.systolic IS NOT NULL AND v.diastolic IS NOT NULL',
  hr: 'v.heart_rate IS NOT NULL',
  rr: 'v.respiratory_rate IS NOT NULL',
  spo2: 'v.spo2 IS NOT NULL',
  temp: 'v.temperature_c IS NOT NULL',
};
const FROM = `FROM vital_readings v JOIN sessions s ON s.id = v.session_id CROSS JOIN LATERAL ${KINDS_SQL}
  WHERE v.superseded_at IS NULL AND (${VITAL_KINDS.map((k) => `(k.kind = '${k}' AND ${MEASURED[k]})`).join(' OR ')})`;

interface Row {
  id: string;
  clinic_id: string;
  patient_id: string;
  measured_at: Date;
  recorded_at: Date;
  source: 'manual' | 'device';
  device_id: string | null;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  spo2: number | null;
  respiratory_rate: number | null;
  temperature_c: string | null;
  ord: number;
  kind: VitalKind;
}

const vitalRow = (r: Row): VitalRow => ({
  id: r.id,
  clinicId: r.clinic_id,
  patientId: r.patient_id,
  measuredAt: r.measured_at,
  recordedAt: r.recorded_at,
  source: r.source,
  deviceId: r.device_id,
  systolic: r.systolic,
  diastolic: r.diastolic,
  heartRate: r.heart_rate,
  spo2: r.spo2,
  respiratoryRate: r.respiratory_rate,
  temperatureC: r.temperature_c === null ? null : Number(r.temperature_c),
});

/** The SQL condition on (k.kind, v.source) one `code=` value stands for. */
function codeCondition(value: string): string {
  const options = parseTokens('code', value).flatMap((t) =>
    VITAL_KINDS.flatMap((kind) => {
      const spec = KIND_SPECS[kind];
      const hit = (c: { system: string; code: string }) =>
        (t.system === undefined || t.system === c.system) && (t.code === undefined || t.code === c.code);
      if (spec.loinc.some(hit)) return [`k.kind = '${kind}'`];
      return hit(spec.mdc) ? [`(k.kind = '${kind}' AND v.source = 'device')`] : [];
    }),
  );
  return options.length ? `(${options.join(' OR ')})` : 'FALSE';
}

function categoryCondition(value: string): string {
  const vital = parseTokens('category', value).some(
    (t) => (t.system === undefined || t.system === OBSERVATION_CATEGORY) && (t.code === undefined || t.code === 'vital-signs'),
  );
  return vital ? 'TRUE' : 'FALSE';
}

@Injectable()
export class FhirObservationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** One Observation, or 404 for an id Vigil did not issue, a superseded reading, or another clinic's. */
  async read(actor: Actor, id: string): Promise<FhirResource> {
    const parsed = parseObservationId(id);
    const rows: Row[] = parsed
      ? await this.dataSource.query(`SELECT ${COLUMNS} ${FROM} AND v.clinic_id = $1 AND v.id = $2 AND k.kind = $3`, [
          actor.clinicId,
          parsed.readingId,
          parsed.kind,
        ])
      : [];
    if (!rows[0]) throw DomainError.notFound('Observation');
    return toVitalObservation(vitalRow(rows[0]), rows[0].kind);
  }

  async search(actor: Actor, search: ParsedSearch): Promise<SearchPage> {
    const params: unknown[] = [actor.clinicId];
    const arg = (v: unknown) => `$${params.push(v)}`;
    const where = ['v.clinic_id = $1'];
    for (const name of ['patient', 'subject'])
      for (const value of search.filters.get(name) ?? []) {
        const ids = value
          .split(',')
          .map(patientIdOf)
          .filter((p): p is string => p !== null && UUID.test(p));
        where.push(ids.length ? `s.patient_id = ANY(${arg(ids)}::uuid[])` : 'FALSE');
      }
    for (const value of search.filters.get('_id') ?? []) {
      const ids = value.split(',').map(parseObservationId);
      const match = ids.flatMap((p) => (p ? [`(v.id = ${arg(p.readingId)} AND k.kind = ${arg(p.kind)})`] : []));
      where.push(match.length ? `(${match.join(' OR ')})` : 'FALSE');
    }
    for (const value of search.filters.get('category') ?? []) where.push(categoryCondition(value));
    for (const value of search.filters.get('code') ?? []) where.push(codeCondition(value));
    const dates = search.filters.get('date');
    if (dates) {
      const clinic = await this.dataSource.manager.findOneByOrFail(Clinic, { id: actor.clinicId });
      const { from, to } = dateBounds('date', dates, clinic.timeZone);
      if (from) where.push(`v.measured_at >= ${arg(from)}`);
      if (to) where.push(`v.measured_at < ${arg(to)}`);
    }
    const filtered = `${FROM} AND ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total ${filtered}`, params);
    const after = decodeFhirCursor(search.cursor);
    const order = search.descending ? 'DESC' : 'ASC';
    const keyset = after
      ? ` AND (v.measured_at, v.id, k.ord) ${search.descending ? '<' : '>'} (${arg(after.at)}::timestamptz, ${arg(after.id)}::uuid, ${arg(after.k)}::int)`
      : '';
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} ${filtered}${keyset} ORDER BY v.measured_at ${order}, v.id ${order}, k.ord ${order} LIMIT ${arg(search.count + 1)}`,
      params,
    );
    const page = rows.slice(0, search.count);
    const last = page[page.length - 1];
    return {
      resources: page.map((r) => toVitalObservation(vitalRow(r), r.kind)),
      total,
      nextCursor: rows.length > search.count && last ? encodeFhirCursor({ at: last.measured_at, id: last.id, k: last.ord }) : null,
    };
  }
}
