import { DomainError, ErrorCode } from '#platform';

/*
 * The FHIR search parameters Vigil implements, and the parsing of a search request against them.
 * The CapabilityStatement is built from the same table, so it lists exactly what is implemented.
 */

export type ParamType = 'token' | 'string' | 'date' | 'reference';
export interface SearchParamSpec {
  name: string;
  type: ParamType;
  documentation: string;
}

export const SEARCH_PARAMS = {
  Patient: [
    { name: '_id', type: 'token', documentation: 'the patient id (comma for several)' },
    { name: 'identifier', type: 'token', documentation: 'the MRN: system|value (the clinic system) or value alone' },
    { name: 'name', type: 'string', documentation: 'starts a word of the given or family name; case and accents ignored' },
    { name: 'birthdate', type: 'date', documentation: 'date of birth, with prefixes eq, ge, gt, le, lt' },
  ],
  Observation: [
    { name: '_id', type: 'token', documentation: 'the Observation id (comma for several)' },
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'subject', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'category', type: 'token', documentation: 'vital-signs or survey' },
    { name: 'code', type: 'token', documentation: 'LOINC, MDC or Vigil assessment code, system|code or code (comma for several)' },
    { name: 'date', type: 'date', documentation: 'when measured or administered; repeat for a range (date=ge…&date=lt…)' },
  ],
  Encounter: [
    { name: '_id', type: 'token', documentation: 'the session id (comma for several)' },
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'subject', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'date', type: 'date', documentation: 'the period (check-in to discharge) overlaps the range; repeat for a range' },
  ],
  MedicationAdministration: [
    { name: '_id', type: 'token', documentation: 'the dose id (comma for several)' },
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'subject', type: 'reference', documentation: 'Patient/<id> or <id>' },
  ],
  Consent: [
    { name: '_id', type: 'token', documentation: 'the signature id (comma for several)' },
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' },
  ],
  Appointment: [
    { name: '_id', type: 'token', documentation: 'the booking id (comma for several)' },
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'date', type: 'date', documentation: 'the start; repeat for a range' },
  ],
  Flag: [
    { name: '_id', type: 'token', documentation: 'the alert id (comma for several)' },
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' },
    { name: 'subject', type: 'reference', documentation: 'Patient/<id> or <id>' },
  ],
  Device: [{ name: '_id', type: 'token', documentation: 'the monitor id (comma for several)' }],
  Location: [{ name: '_id', type: 'token', documentation: 'the chair id (comma for several)' }],
  Practitioner: [{ name: '_id', type: 'token', documentation: 'the staff member id (comma for several)' }],
} as const satisfies Record<string, readonly SearchParamSpec[]>;
export type SearchableType = keyof typeof SEARCH_PARAMS;

/** Paging and format parameters every search takes (not filters). */
export const CONTROL_PARAMS = ['_count', '_cursor', '_format', '_sort', '_include'] as const;

/** `_include` each type supports: the patient its resources are about. */
export const INCLUDES: Partial<Record<SearchableType, readonly string[]>> = {
  Observation: ['Observation:patient', 'Observation:subject'],
  Encounter: ['Encounter:patient', 'Encounter:subject'],
  MedicationAdministration: ['MedicationAdministration:patient', 'MedicationAdministration:subject'],
  Consent: ['Consent:patient'],
  Appointment: ['Appointment:patient'],
  Flag: ['Flag:patient', 'Flag:subject'],
};
export const COUNT_DEFAULT = 50;
export const COUNT_MAX = 200;

export type Query = Record<string, string | string[] | undefined>;

export interface ParsedSearch {
  /** The filters applied, by name, each with its values (a repeated parameter is ANDed). */
  filters: Map<string, string[]>;
  /** What the self link shows: the parameters applied, in the order sent. */
  applied: Array<[string, string]>;
  count: number;
  cursor: string | undefined;
  descending: boolean;
  /** `_include` asked for (the patient of each match). */
  includePatients: boolean;
}

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
export const invalid = (field: string, message: string) => DomainError.validation([{ field, message }]);
/** A well-formed value Vigil understands but does not process (422): a sort or an include it does not offer. */
export const unsupported = (field: string, message: string) =>
  new DomainError(422, ErrorCode.RuleUnmet, `This search cannot be processed: ${field}`, [{ field, message }]);

function parseCount(raw: string[]): number {
  if (raw.length === 0) return COUNT_DEFAULT;
  if (raw.length > 1 || !/^\d{1,6}$/.test(raw[0]) || Number(raw[0]) < 1)
    throw invalid('_count', 'a whole number of at least 1, given once');
  return Math.min(Number(raw[0]), COUNT_MAX);
}

function parseSort(type: SearchableType, raw: string[]): boolean {
  if (raw.length === 0) return false;
  if (type === 'Observation' && raw.length === 1 && (raw[0] === 'date' || raw[0] === '-date')) return raw[0] === '-date';
  throw unsupported('_sort', type === 'Observation' ? 'only date or -date' : `${type} results are not sortable`);
}

function parseIncludes(type: SearchableType, raw: string[]): boolean {
  for (const value of raw) {
    if (!/^[A-Za-z]+:[A-Za-z-]+(:[A-Za-z]+)?$/.test(value)) throw invalid('_include', 'Type:parameter (e.g. Observation:patient)');
    if (!(INCLUDES[type] ?? []).includes(value))
      throw unsupported('_include', INCLUDES[type] ? `only ${(INCLUDES[type] ?? []).join(' or ')}` : `${type} includes nothing`);
  }
  return raw.length > 0;
}

/**
 * The search of `type` the query asks for. Unknown parameters (and modifiers) are ignored and left
 * out of the self link, unless `strict` (Prefer: handling=strict): then 400 naming them.
 */
export function parseSearch(type: SearchableType, query: Query, strict: boolean): ParsedSearch {
  const known = new Set<string>(SEARCH_PARAMS[type].map((p) => p.name));
  const unknown = Object.keys(query).filter((k) => !known.has(k) && !(CONTROL_PARAMS as readonly string[]).includes(k));
  if (strict && unknown.length)
    throw DomainError.validation(unknown.map((field) => ({ field, message: `not a search parameter of ${type} on this server` })));
  const filters = new Map<string, string[]>();
  const applied: Array<[string, string]> = [];
  for (const [name, v] of Object.entries(query)) {
    if (!known.has(name)) continue;
    const list = values(v);
    if (list.some((x) => x.trim() === '')) throw invalid(name, 'an empty value');
    filters.set(name, list);
    for (const x of list) applied.push([name, x]);
  }
  const count = parseCount(values(query['_count']));
  const descending = parseSort(type, values(query['_sort']));
  if (query['_sort'] !== undefined) applied.push(['_sort', descending ? '-date' : 'date']);
  const includes = values(query['_include']);
  const includePatients = parseIncludes(type, includes);
  for (const v of includes) applied.push(['_include', v]);
  const cursors = values(query['_cursor']);
  if (cursors.length > 1) throw invalid('_cursor', 'given more than once');
  return { filters, applied, count, cursor: cursors[0], descending, includePatients };
}

export interface Token {
  /** undefined: any system; null: no system (`|code`). */
  system: string | null | undefined;
  /** undefined: any code of the system (`system|`). */
  code: string | undefined;
}

/** `system|code`, `|code`, `system|` or `code`; a comma separates alternatives. */
export function parseTokens(name: string, value: string): Token[] {
  return value.split(',').map((part) => {
    const bar = part.indexOf('|');
    if (bar < 0) return { system: undefined, code: part };
    const system = part.slice(0, bar);
    const code = part.slice(bar + 1);
    if (!system && !code) throw invalid(name, 'a token needs a system, a code or both');
    return { system: system || null, code: code || undefined };
  });
}

/** `Patient/<id>` or `<id>` (a full URL ending so too); the id, or null when it names no patient. */
export function patientIdOf(value: string): string | null {
  const m = /^(?:.*\/)?(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(value);
  if (!m || (value.includes('/') && !/(^|\/)Patient\/[^/]+$/.test(value))) return null;
  return m[1];
}
