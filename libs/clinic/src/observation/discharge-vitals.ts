import type { VitalReading } from '../vitals/index.js';
import type { DischargeFacts } from './discharge-criteria.js';

export type DischargeReading = Pick<VitalReading, 'id' | 'measuredAt' | 'recordedAt' | 'systolic' | 'breachLevel' | 'moaas'>;

/** When the session's dosing ran, and its baseline: what sorts its readings into before, during and after dosing. */
export interface DosingTimes {
  baselineReadingId: string | null;
  dosingStartedAt: Date | null;
  dosingEndedAt: Date | null;
}

/** What the discharge criteria need from the session's readings. */
export interface DischargeVitals {
  /** The latest blood pressure measured after dosing, with the worst breach of the readings in the discharge window. */
  latestReading: DischargeFacts['latestReading'];
  /** When the latest breaching reading of the window was recorded: an attestation must come after it (null: none breaches). */
  breachRecordedAt: Date | null;
  preDoseMoaas: number | null;
  latestMoaas: number | null;
}

const latestWhere = <T>(rows: T[], test: (r: T) => boolean): T | undefined => [...rows].reverse().find(test);

/** Measured at or after the end of dosing: the only readings that say anything of recovery (clinical-rules.md section 4). */
export function afterDosing(r: { measuredAt: Date }, t: Pick<DosingTimes, 'dosingEndedAt'>): boolean {
  return t.dosingEndedAt !== null && r.measuredAt.getTime() >= t.dosingEndedAt.getTime();
}

/**
 * Readings are sorted by when they were measured against the session's dosing times, never by the
 * phase stored with them: only readings measured at or after the end of dosing count for recovery
 * (sedation, vitals in range, staleness); the pre-dose MOAA/S is the baseline's or the latest before
 * dosing started. Staleness is judged on the latest blood pressure; range on every reading of the
 * window (the last `maxAgeMin` minutes), so a partial reading (SpO2 alone) cannot hide a high blood
 * pressure taken minutes before. `readings` come oldest first.
 */
export function dischargeVitals(readings: DischargeReading[], t: DosingTimes, at: Date, maxAgeMin: number): DischargeVitals {
  const after = readings.filter((r) => afterDosing(r, t));
  const latest = latestWhere(after, (r) => r.systolic !== null);
  const windowStart = at.getTime() - maxAgeMin * 60_000;
  const recent = after.filter((r) => r.measuredAt.getTime() >= windowStart);
  const breaching = latestWhere(recent, (r) => r.breachLevel !== 'none');
  const worst = recent.some((r) => r.breachLevel === 'critical') ? 'critical' : breaching ? 'warning' : 'none';
  const before = readings.filter((r) => t.dosingStartedAt === null || r.measuredAt.getTime() < t.dosingStartedAt.getTime());
  const baseline = readings.find((r) => r.id === t.baselineReadingId);
  const preDoseMoaas = baseline?.moaas ?? latestWhere(before, (r) => r.moaas !== null)?.moaas ?? null;
  return {
    latestReading: latest ? { measuredAt: latest.measuredAt, breachLevel: worst } : null,
    breachRecordedAt: breaching?.recordedAt ?? null,
    preDoseMoaas,
    latestMoaas: latestWhere(after, (r) => r.moaas !== null)?.moaas ?? null,
  };
}
