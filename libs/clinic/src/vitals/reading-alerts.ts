import type { AlertMeasure } from '../alerts/index.js';
import type { AlertLevel, Breach, ReadingValues } from './evaluate.js';

export interface ReadingAlert {
  measure: AlertMeasure;
  level: AlertLevel;
  message: string;
}

const BP = new Set<string>(['systolic', 'diastolic']);

/**
 * The alerts one reading raises from the breaches that alert (clinical-rules.md section 3): blood
 * pressure is one alert (systolic and diastolic together, at the worse level, its message carrying
 * both values), every other measure its own.
 */
export function alertsOfReading(alerting: Breach[], reading: Pick<ReadingValues, 'systolic' | 'diastolic'>): ReadingAlert[] {
  const bp = alerting.filter((b) => BP.has(b.measure));
  const out: ReadingAlert[] = [];
  if (bp.length) {
    const level: AlertLevel = bp.some((b) => b.level === 'critical') ? 'critical' : 'warning';
    const values = `${reading.systolic ?? '–'}/${reading.diastolic ?? '–'}`;
    out.push({ measure: 'blood-pressure', level, message: `BP ${values}: ${bp.map((b) => b.message).join('; ')}` });
  }
  for (const b of alerting) if (!BP.has(b.measure)) out.push({ measure: b.measure, level: b.level, message: b.message });
  return out;
}
