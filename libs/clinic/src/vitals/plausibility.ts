import type { FieldProblem } from '#platform';

/** clinical-rules.md section 3: a reading outside these is a typing or sensor error, refused and not stored. */
export const PLAUSIBLE = {
  systolic: [40, 300],
  diastolic: [20, 200],
  heartRate: [20, 300],
  spo2: [50, 100],
  respiratoryRate: [0, 80],
  temperatureC: [30, 45],
  moaas: [0, 5],
} as const;

/** A measurement time may be at most this far ahead (clock drift) … */
export const MEASURED_AT_FUTURE_TOLERANCE_MIN = 2;
/** … and at most this long before check-in. */
export const MEASURED_AT_BEFORE_CHECK_IN_MIN = 60;

export interface RawReading {
  measuredAt: Date;
  systolic?: number | null;
  diastolic?: number | null;
  heartRate?: number | null;
  spo2?: number | null;
  respiratoryRate?: number | null;
  temperatureC?: number | null;
  moaas?: number | null;
}

/** Cross-field and time rules the DTO cannot express; `prefix` names the reading in a batch. */
export function readingProblems(r: RawReading, now: Date, checkedInAt: Date | null, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const values = [r.systolic, r.diastolic, r.heartRate, r.spo2, r.respiratoryRate, r.temperatureC, r.moaas];
  if (values.every((v) => v === null || v === undefined))
    problems.push({ field: `${prefix}systolic`, message: 'a reading needs at least one measurement' });
  // The HTTP DTO refuses these first; a monitor's feed is checked here, on the same limits.
  for (const [field, [low, high]] of Object.entries(PLAUSIBLE) as Array<[keyof typeof PLAUSIBLE, readonly [number, number]]>) {
    const v = r[field];
    if (v != null && !(v >= low && v <= high)) problems.push({ field: `${prefix}${field}`, message: `${v} is outside ${low}–${high}` });
  }
  if ((r.systolic == null) !== (r.diastolic == null))
    problems.push({
      field: `${prefix}${r.systolic == null ? 'systolic' : 'diastolic'}`,
      message: 'blood pressure needs both systolic and diastolic',
    });
  if (r.systolic != null && r.diastolic != null && r.systolic <= r.diastolic)
    problems.push({ field: `${prefix}systolic`, message: 'systolic must be above diastolic' });
  if (r.measuredAt.getTime() > now.getTime() + MEASURED_AT_FUTURE_TOLERANCE_MIN * 60_000)
    problems.push({ field: `${prefix}measuredAt`, message: 'must not be in the future' });
  if (checkedInAt && r.measuredAt.getTime() < checkedInAt.getTime() - MEASURED_AT_BEFORE_CHECK_IN_MIN * 60_000)
    problems.push({
      field: `${prefix}measuredAt`,
      message: `must not be more than ${MEASURED_AT_BEFORE_CHECK_IN_MIN} minutes before check-in`,
    });
  return problems;
}
