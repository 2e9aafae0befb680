import type { Actor } from '#platform';
import type { ReadingPhase } from '../sessions/index.js';
import type { Breach, BreachLevel } from './evaluate.js';
import type { RawReading } from './plausibility.js';
import type { ReadingSource, VitalReading } from './vital-reading.entity.js';

/**
 * A bedside monitor's feed charting on its own: no user behind it. Its readings have no
 * `recordedBy`; its audit rows have no actor and carry `feed` (the gateway, the message).
 */
export interface MonitorFeed {
  clinicId: string;
  userId: null;
  feed: Record<string, unknown>;
}

/** Who charts readings: a signed-in user (HTTP), or a monitor's feed. */
export type Recorder = Actor | MonitorFeed;

export interface NewReading extends RawReading {
  source: ReadingSource;
  deviceId?: string | null;
  /** A device reading that arrived later than the clinic's lateReadingPageAfterMin: judged, stored, shown; raises no alert. */
  late?: boolean;
  /** Its time came without an offset and was read in the sender's configured zone. */
  timeOffsetAssumed?: boolean;
  /** false: judged and stored, raises no alert (a device's own correction, e.g. a value it withdrew). */
  raisesAlerts?: boolean;
}

export interface ReadingView {
  id: string;
  sessionId: string;
  measuredAt: string;
  source: ReadingSource;
  deviceId: string | null;
  phase: ReadingPhase;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate: number | null;
  temperatureC: number | null;
  moaas: number | null;
  breachLevel: BreachLevel;
  breaches: Breach[];
  baseline: boolean;
  /** true when a device resent a reading already stored: nothing new was written. */
  duplicate: boolean;
  /** Arrived later than the clinic's lateReadingPageAfterMin after it was measured: judged and shown, it paged nobody. */
  late: boolean;
  /** Its time came without an offset and was read in its sender's configured zone. */
  timeOffsetAssumed: boolean;
  /** null: charted by a bedside monitor's feed, no user behind it. */
  recordedBy: string | null;
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
    late: r.late,
    timeOffsetAssumed: r.timeOffsetAssumed,
    recordedBy: r.recordedBy,
  };
}
