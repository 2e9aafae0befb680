/** A pre-dose reading as the baseline rule sees it: any of its measures may be missing (a monitor sends SpO2 alone). */
export interface PreDoseReading {
  id: string;
  measuredAt: Date;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
}

/** The baseline a start is judged on: a blood pressure, a heart rate and an SpO2 taken together. */
export interface Baseline {
  /** The reading whose blood pressure is the baseline (rises during dosing are measured from it). */
  readingId: string;
  systolic: number;
  diastolic: number;
  /** When its oldest part was measured: the baseline is as old as that. */
  measuredAt: Date;
  /** The readings it was taken from: one when a single reading had all three. */
  readingIds: string[];
}

/** CLINIC: a blood pressure and a heart rate/SpO2 reading taken within a minute of each other are one baseline set. */
export const BASELINE_SET_SPAN_MS = 60_000;

const hasBp = (r: PreDoseReading) => r.systolic !== null && r.diastolic !== null;
const latest = (rows: PreDoseReading[], test: (r: PreDoseReading) => boolean) => [...rows].reverse().find(test);

/**
 * clinical-rules.md section 2: the freshest complete baseline among the pre-dose readings (oldest
 * first): a blood pressure (systolic and diastolic of one reading), a heart rate and an SpO2, from
 * one reading or from several measured within `BASELINE_SET_SPAN_MS` of one another. "Freshest"
 * goes by the oldest part of the set; between sets as fresh, the later blood pressure. Null when
 * no such set exists.
 */
export function assembleBaseline(readings: PreDoseReading[]): Baseline | null {
  let best = null as { baseline: Baseline; bpAt: number } | null;
  let end = 0;
  for (const [i, first] of readings.entries()) {
    const from = first.measuredAt.getTime();
    while (end < readings.length && readings[end].measuredAt.getTime() <= from + BASELINE_SET_SPAN_MS) end++;
    const window = readings.slice(i, end);
    const bp = latest(window, hasBp);
    const hr = latest(window, (r) => r.heartRate !== null);
    const spo2 = latest(window, (r) => r.spo2 !== null);
    if (!bp || bp.systolic === null || bp.diastolic === null || !hr || !spo2) continue;
    const parts = [bp, hr, spo2];
    const oldest = Math.min(...parts.map((r) => r.measuredAt.getTime()));
    const bpAt = bp.measuredAt.getTime();
    if (best && (oldest < best.baseline.measuredAt.getTime() || (oldest === best.baseline.measuredAt.getTime() && bpAt < best.bpAt)))
      continue;
    best = {
      bpAt,
      baseline: {
        readingId: bp.id,
        systolic: bp.systolic,
        diastolic: bp.diastolic,
        measuredAt: new Date(oldest),
        readingIds: [...new Set(parts.map((r) => r.id))],
      },
    };
  }
  return best?.baseline ?? null;
}

export type BaselineVital = 'blood-pressure' | 'heart-rate' | 'spo2';

/** When each vital of the baseline set was last measured before dosing (null: never), for a refusal to say what is missing. */
export function lastMeasured(readings: PreDoseReading[]): Record<BaselineVital, Date | null> {
  return {
    'blood-pressure': latest(readings, hasBp)?.measuredAt ?? null,
    'heart-rate': latest(readings, (r) => r.heartRate !== null)?.measuredAt ?? null,
    spo2: latest(readings, (r) => r.spo2 !== null)?.measuredAt ?? null,
  };
}
