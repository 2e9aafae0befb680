import type { VitalReading } from '../vitals/index.js';
import type { DischargeFacts } from './discharge-criteria.js';

export type DischargeReading = Pick<VitalReading, 'id' | 'measuredAt' | 'recordedAt' | 'phase' | 'systolic' | 'breachLevel' | 'moaas'>;

/** What the discharge criteria need from the session's readings. */
export interface DischargeVitals {
  /** The latest blood pressure, with the worst breach of the readings in the discharge window. */
  latestReading: DischargeFacts['latestReading'];
  /** When the latest breaching reading of the window was recorded: an attestation must come after it (null: none breaches). */
  breachRecordedAt: Date | null;
  preDoseMoaas: number | null;
  latestMoaas: number | null;
}

const latestWhere = <T>(rows: T[], test: (r: T) => boolean): T | undefined => [...rows].reverse().find(test);

/**
 * Staleness is judged on the latest blood pressure; range on every reading of the window (the
 * last `maxAgeMin` minutes after dosing), so a partial reading (SpO2 alone) cannot hide a high
 * blood pressure taken minutes before. `readings` come oldest first.
 */
export function dischargeVitals(
  readings: DischargeReading[],
  baselineReadingId: string | null,
  at: Date,
  maxAgeMin: number,
): DischargeVitals {
  const latest = latestWhere(readings, (r) => r.systolic !== null);
  const windowStart = at.getTime() - maxAgeMin * 60_000;
  const recent = readings.filter((r) => r.phase !== 'pre-dose' && r.measuredAt.getTime() >= windowStart);
  const breaching = latestWhere(recent, (r) => r.breachLevel !== 'none');
  const worst = recent.some((r) => r.breachLevel === 'critical') ? 'critical' : breaching ? 'warning' : 'none';
  const baseline = readings.find((r) => r.id === baselineReadingId);
  const preDoseMoaas = baseline?.moaas ?? latestWhere(readings, (r) => r.phase === 'pre-dose' && r.moaas !== null)?.moaas ?? null;
  return {
    latestReading: latest ? { measuredAt: latest.measuredAt, breachLevel: worst } : null,
    breachRecordedAt: breaching?.recordedAt ?? null,
    preDoseMoaas,
    latestMoaas: latestWhere(readings, (r) => r.moaas !== null && r.phase !== 'pre-dose')?.moaas ?? null,
  };
}
