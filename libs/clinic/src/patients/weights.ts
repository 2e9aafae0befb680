import type { FieldProblem } from '#platform';
import type { PatientWeight, WeightUnit } from './weight.entity.js';

export interface NewWeight {
  value: number;
  unit: WeightUnit;
  measuredAt?: Date;
}

export interface WeightView {
  id: string;
  weightKg: number;
  enteredValue: number;
  enteredUnit: WeightUnit;
  measuredAt: string;
  recordedBy: string;
}

/** Plausible adult weights; 0 or 700 kg is a typing error, not a patient. */
export const WEIGHT_KG_RANGE = { min: 20, max: 400 } as const;
const KG_PER_LB = 0.45359237;
const FUTURE_TOLERANCE_MS = 2 * 60_000;

export function toKg(value: number, unit: WeightUnit): number {
  return unit === 'kg' ? value : Number((value * KG_PER_LB).toFixed(3));
}

/**
 * A weight outside the plausible range, or measured in the future, is refused; `fields` names the
 * value and the time as the request does. A value or time not given is not judged.
 */
export function weightProblems(
  value: number | undefined,
  unit: WeightUnit | undefined,
  measuredAt: Date | undefined,
  now: Date,
  fields: { value: string; measuredAt: string },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const kg = value === undefined || unit === undefined ? undefined : toKg(value, unit);
  if (kg !== undefined && !(kg >= WEIGHT_KG_RANGE.min && kg <= WEIGHT_KG_RANGE.max))
    problems.push({ field: fields.value, message: `weight must be ${WEIGHT_KG_RANGE.min}–${WEIGHT_KG_RANGE.max} kg (got ${kg} kg)` });
  if (measuredAt && measuredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    problems.push({ field: fields.measuredAt, message: 'must not be in the future' });
  return problems;
}

export const weightView = (w: PatientWeight): WeightView => ({
  id: w.id,
  weightKg: w.weightKg,
  enteredValue: w.enteredValue,
  enteredUnit: w.enteredUnit,
  measuredAt: w.measuredAt.toISOString(),
  recordedBy: w.recordedBy,
});
