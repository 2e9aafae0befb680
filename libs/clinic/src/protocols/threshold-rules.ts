import type { FieldProblem } from '#platform';
import type { ThresholdSet } from './protocol-definition.js';

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
