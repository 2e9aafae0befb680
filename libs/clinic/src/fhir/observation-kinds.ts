import { OBSERVATION_CATEGORY, type Coding } from './codes.js';
import { UUID } from './resource.js';
import { SURVEY_CODES } from './survey-observations.js';
import { KIND_SPECS, type VITAL_KINDS } from './vital-observations.js';
import { BODY_WEIGHT } from './weight-observation.js';

/*
 * Every kind of Observation Vigil serves, with the table it comes from, its category and codes: what
 * `category=` and `code=` select, and how an Observation id (`<row id>-<kind>`) finds its row.
 */

/** The table an Observation comes from: vital_readings, patient_weights, assessments, observation_checks. */
export type ObservationSource = 'reading' | 'weight' | 'assessment' | 'check';
export type ObservationCategory = 'vital-signs' | 'survey';

export interface ObservationKindSpec {
  source: ObservationSource;
  /** Its order among the Observations of one row (a reading holds several): part of the paging key. */
  ord: number;
  category: ObservationCategory;
  /** The codes `code=` matches (LOINC, or Vigil's own for the scores without one). */
  codes: Coding[];
  /** An MDC code that matches monitor readings only. */
  mdc?: Coding;
}

const vital = (kind: (typeof VITAL_KINDS)[number], ord: number): ObservationKindSpec => ({
  source: 'reading',
  ord,
  category: 'vital-signs',
  codes: KIND_SPECS[kind].loinc,
  mdc: KIND_SPECS[kind].mdc,
});

export const OBSERVATION_KINDS = {
  bp: vital('bp', 1),
  hr: vital('hr', 2),
  rr: vital('rr', 3),
  spo2: vital('spo2', 4),
  temp: vital('temp', 5),
  moaas: { source: 'reading', ord: 6, category: 'survey', codes: [SURVEY_CODES.MOAAS] },
  weight: { source: 'weight', ord: 1, category: 'vital-signs', codes: [BODY_WEIGHT] },
  phq9: { source: 'assessment', ord: 1, category: 'survey', codes: [SURVEY_CODES.PHQ9] },
  gad7: { source: 'assessment', ord: 1, category: 'survey', codes: [SURVEY_CODES.GAD7] },
  cadss6: { source: 'assessment', ord: 1, category: 'survey', codes: [SURVEY_CODES.CADSS6] },
  'cadss6-check': { source: 'check', ord: 1, category: 'survey', codes: [SURVEY_CODES.CADSS6] },
} as const satisfies Record<string, ObservationKindSpec>;
export type ObservationKind = keyof typeof OBSERVATION_KINDS;
export const OBSERVATION_KIND_NAMES = Object.keys(OBSERVATION_KINDS) as ObservationKind[];

/** `<uuid>-<kind>` back to its row and kind, or null when the id is not one Vigil issues. */
export function parseObservationId(id: string): { rowId: string; kind: ObservationKind } | null {
  const rowId = id.slice(0, 36);
  const kind = id.slice(37);
  if (id[36] !== '-' || !UUID.test(rowId) || !(kind in OBSERVATION_KINDS)) return null;
  return { rowId: rowId.toLowerCase(), kind: kind as ObservationKind };
}

/** What one value of a token parameter admits of each kind: any row, a monitor's row only (an MDC code), or none. */
export type KindMatch = 'any' | 'device';
export type Token = { system: string | null | undefined; code: string | undefined };

const hit = (t: Token, c: Coding) => (t.system === undefined || t.system === c.system) && (t.code === undefined || t.code === c.code);

/** The kinds one `code=` value (its alternatives) selects. */
export function kindsOfCode(tokens: Token[]): Map<ObservationKind, KindMatch> {
  const found = new Map<ObservationKind, KindMatch>();
  for (const kind of OBSERVATION_KIND_NAMES) {
    const spec: ObservationKindSpec = OBSERVATION_KINDS[kind];
    if (tokens.some((t) => spec.codes.some((c) => hit(t, c)))) found.set(kind, 'any');
    else if (spec.mdc && tokens.some((t) => hit(t, spec.mdc as Coding))) found.set(kind, 'device');
  }
  return found;
}

/** The kinds one `category=` value selects. */
export function kindsOfCategory(tokens: Token[]): Map<ObservationKind, KindMatch> {
  const found = new Map<ObservationKind, KindMatch>();
  for (const kind of OBSERVATION_KIND_NAMES) {
    const category = OBSERVATION_KINDS[kind].category;
    if (tokens.some((t) => hit(t, { system: OBSERVATION_CATEGORY, code: category, display: '' }))) found.set(kind, 'any');
  }
  return found;
}

/** Several selections ANDed: a kind every one admits, needing a monitor's row if any one does. */
export function intersectKinds(selections: Map<ObservationKind, KindMatch>[]): Map<ObservationKind, KindMatch> {
  const result = new Map<ObservationKind, KindMatch>(OBSERVATION_KIND_NAMES.map((k) => [k, 'any']));
  for (const s of selections)
    for (const kind of [...result.keys()]) {
      const m = s.get(kind);
      if (!m) result.delete(kind);
      else if (m === 'device') result.set(kind, 'device');
    }
  return result;
}
