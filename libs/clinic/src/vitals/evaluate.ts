import { ALERT_LEVELS, type AlertLevel } from '../alerts/index.js';
import type { LevelPair, ThresholdSet } from '../protocols/index.js';
import type { ReadingSource } from './vital-reading.entity.js';

export const MEASURES = ['systolic', 'diastolic', 'heartRate', 'spo2', 'respiratoryRate', 'moaas'] as const;
export type Measure = (typeof MEASURES)[number];
export type { AlertLevel };
/** How a value breached: above a high or below a low limit, or a rise or drop from the baseline. */
export const BREACH_RULES = ['high', 'low', 'rise', 'drop'] as const;
/** A reading's worst breach. */
export const BREACH_LEVELS = ['none', ...ALERT_LEVELS] as const;
export type BreachLevel = (typeof BREACH_LEVELS)[number];

export interface ReadingValues {
  systolic?: number | null;
  diastolic?: number | null;
  heartRate?: number | null;
  spo2?: number | null;
  respiratoryRate?: number | null;
  moaas?: number | null;
}

export interface Breach {
  measure: Measure;
  level: AlertLevel;
  rule: (typeof BREACH_RULES)[number];
  value: number;
  limit: number;
  message: string;
}

const LABEL: Record<Measure, string> = {
  systolic: 'systolic BP',
  diastolic: 'diastolic BP',
  heartRate: 'heart rate',
  spo2: 'SpO2',
  respiratoryRate: 'respiratory rate',
  moaas: 'MOAA/S',
};

/**
 * clinical-rules.md section 3: blood pressure breaches at or above its high levels (≥ 160, ≥ 180);
 * heart rate and respiratory rate above theirs (> 110, > 130, > 24); every low level is "below"
 * (< 90, < 50, < 94, < 10). MOAA/S: any drop from the pre-dose score warns (the label's
 * definition of sedation), at or below 1 is critical.
 */
const HIGH_INCLUSIVE: Record<string, boolean> = { systolic: true, diastolic: true, heartRate: false, respiratoryRate: false };

function highBreach(measure: Measure, value: number, pair: LevelPair): Breach | null {
  const over = (limit: number | null) => limit !== null && (HIGH_INCLUSIVE[measure] ? value >= limit : value > limit);
  const op = HIGH_INCLUSIVE[measure] ? '≥' : '>';
  if (over(pair.critical))
    return {
      measure,
      level: 'critical',
      rule: 'high',
      value,
      limit: pair.critical!,
      message: `${LABEL[measure]} ${value} ${op} ${pair.critical}`,
    };
  if (over(pair.warning))
    return {
      measure,
      level: 'warning',
      rule: 'high',
      value,
      limit: pair.warning!,
      message: `${LABEL[measure]} ${value} ${op} ${pair.warning}`,
    };
  return null;
}

function lowBreach(measure: Measure, value: number, pair: LevelPair): Breach | null {
  if (pair.critical !== null && value < pair.critical)
    return {
      measure,
      level: 'critical',
      rule: 'low',
      value,
      limit: pair.critical,
      message: `${LABEL[measure]} ${value} < ${pair.critical}`,
    };
  if (pair.warning !== null && value < pair.warning)
    return { measure, level: 'warning', rule: 'low', value, limit: pair.warning, message: `${LABEL[measure]} ${value} < ${pair.warning}` };
  return null;
}

function riseBreach(measure: Measure, value: number, baseline: number | null | undefined, rise: number | null): Breach | null {
  if (rise === null || baseline === null || baseline === undefined || value < baseline + rise) return null;
  return {
    measure,
    level: 'warning',
    rule: 'rise',
    value,
    limit: baseline + rise,
    message: `${LABEL[measure]} ${value} is ${value - baseline} above the baseline ${baseline} (≥ ${rise})`,
  };
}

const rank = (b: Breach | null) => (b === null ? 0 : b.level === 'critical' ? 2 : 1);
/** One breach per measure: the most severe, the first found on a tie. */
const worst = (...candidates: (Breach | null)[]): Breach | null =>
  candidates.reduce<Breach | null>((a, b) => (rank(b) > rank(a) ? b : a), null);

/** Every measure of `reading` that breaches `t`, at its most severe level. Pure. */
export function evaluateReading(reading: ReadingValues, baseline: ReadingValues | null, t: ThresholdSet): Breach[] {
  const out: (Breach | null)[] = [];
  const v = reading;
  if (v.systolic != null)
    out.push(
      worst(
        highBreach('systolic', v.systolic, t.systolic.high),
        lowBreach('systolic', v.systolic, t.systolic.low),
        riseBreach('systolic', v.systolic, baseline?.systolic, t.systolic.riseWarning),
      ),
    );
  if (v.diastolic != null)
    out.push(
      worst(
        highBreach('diastolic', v.diastolic, t.diastolic.high),
        riseBreach('diastolic', v.diastolic, baseline?.diastolic, t.diastolic.riseWarning),
      ),
    );
  if (v.heartRate != null)
    out.push(worst(highBreach('heartRate', v.heartRate, t.heartRate.high), lowBreach('heartRate', v.heartRate, t.heartRate.low)));
  if (v.spo2 != null) out.push(lowBreach('spo2', v.spo2, t.spo2.low));
  if (v.respiratoryRate != null)
    out.push(
      worst(
        highBreach('respiratoryRate', v.respiratoryRate, t.respiratoryRate.high),
        lowBreach('respiratoryRate', v.respiratoryRate, t.respiratoryRate.low),
      ),
    );
  if (v.moaas != null) {
    const critical =
      t.moaas.criticalAtOrBelow !== null && v.moaas <= t.moaas.criticalAtOrBelow
        ? ({
            measure: 'moaas',
            level: 'critical',
            rule: 'low',
            value: v.moaas,
            limit: t.moaas.criticalAtOrBelow,
            message: `MOAA/S ${v.moaas} ≤ ${t.moaas.criticalAtOrBelow}`,
          } as Breach)
        : null;
    const pre = baseline?.moaas;
    const drop =
      t.moaas.dropWarning !== null && pre != null && pre - v.moaas >= t.moaas.dropWarning
        ? ({
            measure: 'moaas',
            level: 'warning',
            rule: 'drop',
            value: v.moaas,
            limit: pre - t.moaas.dropWarning,
            message: `MOAA/S ${v.moaas} dropped from the pre-dose ${pre}`,
          } as Breach)
        : null;
    out.push(worst(critical, drop));
  }
  return out.filter((b): b is Breach => b !== null);
}

export interface EarlierDeviceReading {
  deviceId?: string | null;
  measuredAt: Date;
  /** Measures that breached (at any level) in that reading. */
  breached: Measure[];
}

/**
 * Alarm-fatigue rule (section 3, CLINIC): a warning from a device stream alerts only when the
 * previous `consecutive - 1` device readings, all within `windowMin` before this one, breached the
 * same measure too. Manual readings and every critical breach alert at once.
 */
export function breachesThatAlert(
  breaches: Breach[],
  source: ReadingSource,
  measuredAt: Date,
  earlierDeviceReadings: EarlierDeviceReading[],
  t: Pick<ThresholdSet, 'deviceWarningConsecutive' | 'deviceWarningWindowMin'>,
): Breach[] {
  if (source === 'manual') return breaches;
  const needed = t.deviceWarningConsecutive - 1;
  const since = measuredAt.getTime() - t.deviceWarningWindowMin * 60_000;
  const recent = earlierDeviceReadings
    .filter((r) => r.measuredAt.getTime() < measuredAt.getTime())
    .sort((a, b) => b.measuredAt.getTime() - a.measuredAt.getTime())
    .slice(0, needed);
  return breaches.filter(
    (b) =>
      b.level === 'critical' ||
      (recent.length === needed && recent.every((r) => r.measuredAt.getTime() >= since && r.breached.includes(b.measure))),
  );
}
