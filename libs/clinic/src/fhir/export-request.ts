import { DomainError } from '#platform';
import type { ExportLevel } from './fhir-export.entity.js';
import { TABLE_TYPES } from './resource-tables.js';

/*
 * The kick-off parameters of a Bulk Data export (FHIR Bulk Data Access IG, $export): `_type`,
 * `_since` and `_outputFormat`, from the query string or a POSTed Parameters resource. Anything Vigil
 * cannot honour is a 400 naming the parameter, never silently dropped.
 */

/** Every type Vigil serves, in the order an export writes them. */
export const EXPORT_TYPES = ['Patient', 'Observation', ...TABLE_TYPES] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

/** The types in the Patient compartment: what `Patient/$export` exports. */
export const PATIENT_TYPES: readonly ExportType[] = [
  'Patient',
  'Observation',
  'Encounter',
  'MedicationAdministration',
  'Consent',
  'Appointment',
  'Flag',
];

export const OUTPUT_FORMATS = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface ExportRequest {
  level: ExportLevel;
  types: ExportType[];
  since: Date | null;
}

type Params = Record<string, string | string[] | undefined>;

/** The parameters of a POSTed `Parameters` resource, as query-string values (valueString, valueInstant…). */
export function parametersOf(body: unknown): Params {
  const out: Record<string, string[]> = {};
  const b = body as { resourceType?: unknown; parameter?: unknown } | undefined;
  if (!b || typeof b !== 'object' || b.resourceType !== 'Parameters' || !Array.isArray(b.parameter)) return out;
  for (const p of b.parameter as Array<Record<string, unknown>>) {
    const name = typeof p?.['name'] === 'string' ? p['name'] : undefined;
    const value = Object.entries(p ?? {}).find(([k, v]) => k.startsWith('value') && typeof v === 'string')?.[1];
    if (name && typeof value === 'string') (out[name] ??= []).push(value);
  }
  return out;
}

const values = (params: Params, name: string): string[] => {
  const v = params[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

const bad = (field: string, message: string) => DomainError.validation([{ field, message }]);

export function parseExportRequest(level: ExportLevel, params: Params): ExportRequest {
  const allowed: readonly ExportType[] = level === 'patient' ? PATIENT_TYPES : EXPORT_TYPES;
  const asked = values(params, '_type').flatMap((v) => v.split(',').map((t) => t.trim()));
  for (const t of asked)
    if (!allowed.includes(t as ExportType))
      throw bad(
        '_type',
        `${t.slice(0, 64) || '(empty)'} is not a type ${level === 'patient' ? 'of the Patient compartment ' : ''}Vigil exports (${allowed.join(', ')})`,
      );
  const types = asked.length ? allowed.filter((t) => asked.includes(t)) : [...allowed];

  const sinceValues = values(params, '_since');
  if (sinceValues.length > 1) throw bad('_since', 'given once');
  let since: Date | null = null;
  if (sinceValues.length) {
    // A `+` sent unencoded arrives as a space.
    const raw = sinceValues[0].replace(/ (\d{2}:\d{2})$/, '+$1');
    if (!INSTANT.test(raw) || Number.isNaN(Date.parse(raw)))
      throw bad('_since', 'an instant with seconds and a time-zone offset, e.g. 2026-11-29T14:30:00-05:00 (encode + as %2B)');
    since = new Date(raw);
  }

  for (const format of values(params, '_outputFormat'))
    if (!OUTPUT_FORMATS.includes(format.replace(/ /g, '+').toLowerCase()))
      throw bad('_outputFormat', `Vigil writes ${OUTPUT_FORMATS.join(', ')} only`);
  if (values(params, '_typeFilter').length) throw bad('_typeFilter', 'not supported: export whole types and filter afterwards');
  if (values(params, 'patient').length) throw bad('patient', 'not supported: Patient/$export exports every patient of the clinic');
  return { level, types, since };
}

/** `Prefer: respond-async` is required: an export never answers synchronously. */
export function requireRespondAsync(prefer: string | string[] | undefined): void {
  if (!/(^|[\s,;])respond-async\b/i.test([prefer ?? ''].flat().join(',')))
    throw bad('Prefer', 'respond-async is required: the export runs in the background and answers 202 with a status URL');
}
