import type { FieldProblem } from '#platform';

export const INSTRUMENTS = ['PHQ9', 'GAD7', 'CSSRS', 'CADSS6'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** clinical-rules.md section 5: item counts and ranges; LOINC codes of section 9 for the totals. */
const SHAPE: Record<Instrument, { items: number; kind: 'score'; max: number } | { items: number; kind: 'yes-no' }> = {
  PHQ9: { items: 9, kind: 'score', max: 3 },
  GAD7: { items: 7, kind: 'score', max: 3 },
  CADSS6: { items: 6, kind: 'score', max: 4 },
  CSSRS: { items: 6, kind: 'yes-no' },
};

export const LOINC: Partial<Record<Instrument, string>> = { PHQ9: '44261-6', GAD7: '70274-6' };

// PHQ-9: 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe (Kroenke 2001).
const PHQ9_BANDS: [number, string][] = [
  [20, 'severe'],
  [15, 'moderately severe'],
  [10, 'moderate'],
  [5, 'mild'],
  [0, 'minimal'],
];
// GAD-7: 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe (Spitzer 2006).
const GAD7_BANDS: [number, string][] = [
  [15, 'severe'],
  [10, 'moderate'],
  [5, 'mild'],
  [0, 'minimal'],
];

/** C-SSRS screener risk, lowest first. */
const CSSRS_RISKS = ['none', 'low', 'moderate', 'high'] as const;
/** The highest answer of a scored item (CADSS-6: 0–4; PHQ-9 and GAD-7: 0–3). */
export const ASSESSMENT_ITEM_MAX = Math.max(...Object.values(SHAPE).map((s) => (s.kind === 'score' ? s.max : 0)));
/** Every band a score may have: the PHQ-9 and GAD-7 severities and the C-SSRS risks. */
export const ASSESSMENT_BANDS: readonly string[] = [...new Set([...PHQ9_BANDS, ...GAD7_BANDS].map(([, b]) => b).concat(CSSRS_RISKS))];
/** suicide-risk: PHQ-9 item 9 above 0; suicide-risk-high: a high-risk C-SSRS screener. */
export const ASSESSMENT_FLAGS = ['suicide-risk', 'suicide-risk-high'] as const;

export interface Score {
  total: number;
  band: string | null;
  flags: string[];
  loinc: string | null;
}

const band = (bands: [number, string][], total: number) => bands.find(([min]) => total >= min)![1];

/** Every item problem at once, each named `items[i]`. */
export function itemProblems(instrument: Instrument, items: unknown[]): FieldProblem[] {
  const shape = SHAPE[instrument];
  if (items.length !== shape.items) return [{ field: 'items', message: `${instrument} has ${shape.items} items (got ${items.length})` }];
  return items.flatMap((v, i) => {
    if (shape.kind === 'yes-no') return typeof v === 'boolean' ? [] : [{ field: `items[${i}]`, message: 'must be true or false' }];
    return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= shape.max
      ? []
      : [{ field: `items[${i}]`, message: `must be an integer 0–${shape.max}` }];
  });
}

/**
 * Totals, bands and flags, computed here and never taken from the client. C-SSRS screener
 * (Columbia triage): yes to item 4 or 5, or suicidal behaviour (item 6) in the past 3 months is
 * high risk; item 3 or older behaviour moderate; items 1–2 low.
 */
export function score(instrument: Instrument, items: (number | boolean)[], behaviourPastThreeMonths = false): Score {
  if (instrument === 'CSSRS') {
    const [, , q3, q4, q5, q6] = items as boolean[];
    const total = (items as boolean[]).filter(Boolean).length;
    const risk: (typeof CSSRS_RISKS)[number] =
      q4 || q5 || (q6 && behaviourPastThreeMonths) ? 'high' : q3 || q6 ? 'moderate' : total > 0 ? 'low' : 'none';
    return { total, band: risk, flags: risk === 'high' ? ['suicide-risk-high'] : [], loinc: null };
  }
  const values = items as number[];
  const total = values.reduce((a, b) => a + b, 0);
  if (instrument === 'PHQ9')
    return { total, band: band(PHQ9_BANDS, total), flags: values[8] > 0 ? ['suicide-risk'] : [], loinc: LOINC.PHQ9! };
  if (instrument === 'GAD7') return { total, band: band(GAD7_BANDS, total), flags: [], loinc: LOINC.GAD7! };
  return { total, band: null, flags: [], loinc: null };
}

export interface OutcomePoint {
  at: Date;
  total: number;
}

/** Which score the baseline is: the last before the first dose, or (none before) the first within the window after it. */
export const BASELINE_KINDS = ['before-first-dose', 'after-first-dose'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];

export interface OutcomeSummary {
  baseline: OutcomePoint | null;
  baselineKind: BaselineKind | null;
  latest: OutcomePoint | null;
  changePercent: number | null;
  /** A drop of at least 50% from the baseline (section 5). */
  response: boolean;
  /** PHQ-9 or GAD-7 below 5 (CADSS-6 has no remission). */
  remission: boolean;
  /** After a response, back above 50% of the baseline: propose an earlier maintenance session. */
  relapse: boolean;
  points: OutcomePoint[];
}

/** An outcome as the API answers it: its points' times as ISO-8601 text. */
export type OutcomeView = Omit<OutcomeSummary, 'baseline' | 'latest' | 'points'> & {
  baseline: { at: string; total: number } | null;
  latest: { at: string; total: number } | null;
  points: { at: string; total: number }[];
};

const pointView = (p: OutcomePoint) => ({ at: p.at.toISOString(), total: p.total });

export const outcomeView = (s: OutcomeSummary): OutcomeView => ({
  ...s,
  baseline: s.baseline && pointView(s.baseline),
  latest: s.latest && pointView(s.latest),
  points: s.points.map(pointView),
});

/** Instruments whose remission is a score below 5 (clinical-rules.md section 5). */
const REMISSION_BELOW_5: readonly Instrument[] = ['PHQ9', 'GAD7'];

/**
 * The baseline (clinical-rules.md section 5): the last score before the first dose (every score
 * until there is one); when none came before it, the first score within `windowMin` minutes after it.
 */
export function baselineOf(
  sorted: OutcomePoint[],
  firstDoseAt: Date | null,
  windowMin: number,
): { point: OutcomePoint; kind: BaselineKind } | null {
  const before = firstDoseAt ? sorted.filter((p) => p.at < firstDoseAt) : sorted;
  if (before.length) return { point: before[before.length - 1], kind: 'before-first-dose' };
  if (!firstDoseAt) return null;
  const until = firstDoseAt.getTime() + windowMin * 60_000;
  const soonAfter = sorted.find((p) => p.at.getTime() <= until);
  return soonAfter ? { point: soonAfter, kind: 'after-first-dose' } : null;
}

/** clinical-rules.md section 5: baseline, response, remission and relapse of one instrument's scores. */
export function summarize(
  instrument: Instrument,
  points: OutcomePoint[],
  firstDoseAt: Date | null,
  baselineWindowMin: number,
): OutcomeSummary {
  const sorted = [...points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const found = baselineOf(sorted, firstDoseAt, baselineWindowMin);
  const baseline = found?.point ?? null;
  const latest = sorted[sorted.length - 1] ?? null;
  // The scores that show the treatment's effect: after the first dose, the baseline itself excepted.
  const after = firstDoseAt ? sorted.filter((p) => p.at >= firstDoseAt && p !== baseline) : [];
  const responded = (p: OutcomePoint) => baseline !== null && baseline.total > 0 && p.total <= baseline.total * 0.5;
  const latestAfter = after[after.length - 1] ?? null;
  const firstResponse = after.findIndex(responded);
  return {
    baseline,
    baselineKind: found?.kind ?? null,
    latest,
    changePercent:
      baseline && latest && baseline.total > 0 ? Math.round(((latest.total - baseline.total) / baseline.total) * 1000) / 10 : null,
    response: latestAfter !== null && responded(latestAfter),
    remission: REMISSION_BELOW_5.includes(instrument) && latestAfter !== null && latestAfter.total < 5,
    relapse:
      firstResponse >= 0 &&
      latestAfter !== null &&
      baseline !== null &&
      latestAfter.total > baseline.total * 0.5 &&
      after.indexOf(latestAfter) > firstResponse,
    points: sorted,
  };
}

/** What a suicide-risk flag of an assessment means for staff: a high-risk C-SSRS screener is critical, PHQ-9 item 9 above 0 a warning. */
export function suicideRisk(flag: string, items: (number | boolean)[]): { flag: string; level: 'warning' | 'critical'; message: string } {
  return flag === 'suicide-risk-high'
    ? { flag, level: 'critical', message: 'C-SSRS screener: high suicide risk' }
    : { flag, level: 'warning', message: `PHQ-9 item 9 answered ${String(items[8])}: suicide risk` };
}
