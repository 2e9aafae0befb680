import type { FieldProblem } from '#platform';
import type { LevelPair, ThresholdSet } from './protocol-definition.js';

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | (null extends T[K] ? null : never) : T[K];
};
export type ThresholdOverrides = DeepPartial<ThresholdSet>;

/**
 * The shape of a threshold set: every leaf with its allowed range. A value may be null where the
 * measure has no such level (respiratory rate has no critical high).
 */
const LEVEL = { warning: [0, 400], critical: [0, 400] } as const;
const SHAPE = {
  systolic: { high: LEVEL, low: LEVEL, riseWarning: [1, 200] },
  diastolic: { high: LEVEL, riseWarning: [1, 200] },
  heartRate: { high: LEVEL, low: LEVEL },
  spo2: { low: LEVEL },
  respiratoryRate: { high: LEVEL, low: LEVEL },
  moaas: { dropWarning: [1, 5], criticalAtOrBelow: [0, 5] },
  deviceWarningConsecutive: [1, 10],
  deviceWarningWindowMin: [1, 60],
} as const;
const NOT_NULL = new Set(['deviceWarningConsecutive', 'deviceWarningWindowMin']);

type Shape = { readonly [k: string]: Shape | readonly [number, number] };

/**
 * Checks a full threshold set (`partial: false`) or an override (`partial: true`): unknown keys,
 * wrong types and out-of-range values, each named by its path under `field`.
 */
export function thresholdProblems(value: unknown, field: string, partial: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (v: unknown, shape: Shape, path: string): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      problems.push({ field: path, message: 'must be an object' });
      return;
    }
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!(k in shape)) problems.push({ field: `${path}.${k}`, message: 'is not a threshold' });
    for (const [k, sub] of Object.entries(shape)) {
      const p = `${path}.${k}`;
      if (!(k in obj)) {
        if (!partial) problems.push({ field: p, message: 'is required' });
        continue;
      }
      const x = obj[k];
      if (Array.isArray(sub)) {
        const [min, max] = sub as readonly [number, number];
        if (x === null && !NOT_NULL.has(k)) continue;
        if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max)
          problems.push({ field: p, message: `must be a number ${min}–${max}` });
      } else {
        walk(x, sub as Shape, p);
      }
    }
  };
  walk(value, SHAPE, field);
  return problems;
}

/** Later layers win, leaf by leaf: clinic defaults, then the protocol's overrides, then the patient's. */
export function mergeThresholds(base: ThresholdSet, ...layers: (ThresholdOverrides | null | undefined)[]): ThresholdSet {
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === undefined) return a;
    if (b === null || typeof b !== 'object' || a === null || typeof a !== 'object') return b;
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = merge(out[k], v);
    return out;
  };
  return layers.reduce<ThresholdSet>((acc, layer) => (layer ? (merge(acc, layer) as ThresholdSet) : acc), base);
}

type Side = 'high' | 'low';
/** Every warning/critical pair of a threshold set, with the side it guards. */
const PAIRS: Array<{ measure: 'systolic' | 'diastolic' | 'heartRate' | 'spo2' | 'respiratoryRate'; side: Side }> = [
  { measure: 'systolic', side: 'high' },
  { measure: 'systolic', side: 'low' },
  { measure: 'diastolic', side: 'high' },
  { measure: 'heartRate', side: 'high' },
  { measure: 'heartRate', side: 'low' },
  { measure: 'spo2', side: 'low' },
  { measure: 'respiratoryRate', side: 'high' },
  { measure: 'respiratoryRate', side: 'low' },
];

const leafOf = (o: unknown, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

/**
 * clinical-rules.md section 3: an effective threshold set (after every layer) must warn before it
 * is critical on every side — high: warning below critical; low: warning above critical — its low
 * warning must stay below its high warning, and every baseline-relative delta must be positive.
 * Each problem names the leaf `edited` set (the layer being written), else the warning.
 * `context` says which effective set it is (e.g. "with protocol ketamine-iv-standard").
 */
export function thresholdOrderProblems(effective: ThresholdSet, field: string, edited: unknown, context = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const suffix = context ? ` (${context})` : '';
  const path = (measure: string, side: string, level: 'warning' | 'critical', other: 'warning' | 'critical') => {
    const named =
      leafOf(edited, [measure, side, level]) === undefined && leafOf(edited, [measure, side, other]) !== undefined ? other : level;
    return `${field}.${measure}.${side}.${named}`;
  };
  for (const { measure, side } of PAIRS) {
    const pair = (effective[measure] as Record<Side, LevelPair | undefined>)[side];
    if (!pair || pair.warning === null || pair.critical === null) continue;
    const inverted = side === 'high' ? pair.warning >= pair.critical : pair.warning <= pair.critical;
    if (!inverted) continue;
    const p = path(measure, side, 'warning', 'critical');
    const relation = side === 'high' ? 'below' : 'above';
    problems.push({
      field: p,
      message: `the ${side} warning (${pair.warning}) must be ${relation} the ${side} critical (${pair.critical}): a warning comes before critical${suffix}`,
    });
  }
  for (const measure of ['systolic', 'heartRate', 'respiratoryRate'] as const) {
    const { high, low } = effective[measure];
    if (high.warning !== null && low.warning !== null && low.warning >= high.warning)
      problems.push({
        field: `${field}.${measure}.${leafOf(edited, [measure, 'high', 'warning']) !== undefined ? 'high' : 'low'}.warning`,
        message: `the low warning (${low.warning}) must be below the high warning (${high.warning})${suffix}`,
      });
  }
  const deltas: Array<[string, number | null]> = [
    ['systolic.riseWarning', effective.systolic.riseWarning],
    ['diastolic.riseWarning', effective.diastolic.riseWarning],
    ['moaas.dropWarning', effective.moaas.dropWarning],
  ];
  for (const [p, v] of deltas)
    if (v !== null && !(v > 0))
      problems.push({ field: `${field}.${p}`, message: `a change from the baseline must be positive (${v})${suffix}` });
  return problems;
}
