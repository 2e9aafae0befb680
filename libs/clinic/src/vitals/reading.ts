import type { ReadingPhase } from '../sessions/index.js';
import type { Breach } from './evaluate.js';
import type { RawReading } from './plausibility.js';
import type { VitalReading } from './vital-reading.entity.js';

export interface NewReading extends RawReading {
  source: 'manual' | 'device';
  deviceId?: string | null;
}

export interface ReadingView {
  id: string;
  sessionId: string;
  measuredAt: string;
  source: 'manual' | 'device';
  deviceId: string | null;
  phase: ReadingPhase;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate: number | null;
  temperatureC: number | null;
  moaas: number | null;
  breachLevel: 'none' | 'warning' | 'critical';
  breaches: Breach[];
  baseline: boolean;
  /** true when a device resent a reading already stored: nothing new was written. */
  duplicate: boolean;
  recordedBy: string;
}

/** A stored reading as the API answers it; `baselineReadingId` is its session's (the reading the start was judged on). */
export function readingView(r: VitalReading, baselineReadingId: string | null, duplicate: boolean): ReadingView {
  return {
    id: r.id,
    sessionId: r.sessionId,
    measuredAt: r.measuredAt.toISOString(),
    source: r.source,
    deviceId: r.deviceId,
    phase: r.phase,
    systolic: r.systolic,
    diastolic: r.diastolic,
    heartRate: r.heartRate,
    spo2: r.spo2,
    respiratoryRate: r.respiratoryRate,
    temperatureC: r.temperatureC,
    moaas: r.moaas,
    breachLevel: r.breachLevel,
    breaches: r.breaches,
    baseline: baselineReadingId === r.id,
    duplicate,
    recordedBy: r.recordedBy,
  };
}
