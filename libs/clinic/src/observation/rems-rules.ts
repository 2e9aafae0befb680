import type { ProtocolDefinition, VitalsSchedule } from '../protocols/index.js';
import type { VitalReading } from '../vitals/index.js';

/**
 * Whether sessions of this protocol are under the Spravato REMS (esketamine): the protocol says so
 * by requiring a REMS enrollment before dosing, a figure from the label that no clinic may edit.
 */
export function underRems(protocol: Pick<ProtocolDefinition, 'preSession'>): boolean {
  return protocol.preSession.remsEnrollmentRequired;
}

/** Adverse events the REMS Patient Monitoring Form asks about (sedation, dissociation, respiratory depression, BP). */
export const REMS_EVENT_KINDS = ['sedation', 'dissociation', 'respiratory-depression', 'blood-pressure-increase'];

/** An adverse event goes on the REMS form when the session is under REMS and the form asks about its kind. */
export function remsReportable(protocol: Pick<ProtocolDefinition, 'preSession'>, kind: string): boolean {
  return underRems(protocol) && REMS_EVENT_KINDS.includes(kind);
}

export type BpReading = Pick<VitalReading, 'measuredAt' | 'phase' | 'systolic' | 'diastolic'>;
type Checkpoints = Pick<VitalsSchedule, 'checkpointsMin' | 'checkpointWindowMin'>;

export const hasBp = (r: Pick<VitalReading, 'systolic' | 'diastolic'>): boolean => r.systolic !== null && r.diastolic !== null;

/** A blood pressure within the protocol's window around its checkpoint (esketamine: 40 min after the first device, label). */
export function atCheckpoint(dosingStartedAt: Date | null, vitals: Checkpoints): (r: BpReading) => boolean {
  const checkpoint = vitals.checkpointsMin[0];
  const start = dosingStartedAt?.getTime();
  const w = vitals.checkpointWindowMin;
  return (r) =>
    checkpoint !== undefined &&
    start !== undefined &&
    hasBp(r) &&
    r.measuredAt.getTime() >= start + (checkpoint - w.before) * 60_000 &&
    r.measuredAt.getTime() <= start + (checkpoint + w.after) * 60_000;
}

/** Spravato label: which of the three blood pressures (before dosing, at 40 minutes, before discharge) are recorded. */
export function remsBpRecorded(
  readings: BpReading[],
  dosingStartedAt: Date | null,
  vitals: Checkpoints & Pick<VitalsSchedule, 'dischargeMaxAgeMin'>,
  at: Date,
): { preDose: boolean; at40Min: boolean; beforeDischarge: boolean } {
  return {
    preDose: readings.some((r) => r.phase === 'pre-dose' && hasBp(r)),
    at40Min: readings.some(atCheckpoint(dosingStartedAt, vitals)),
    beforeDischarge: readings.some(
      (r) => hasBp(r) && r.phase !== 'pre-dose' && at.getTime() - r.measuredAt.getTime() <= vitals.dischargeMaxAgeMin * 60_000,
    ),
  };
}

/**
 * The REMS blood-pressure reminder: from when a systolic reading counts as the checkpoint's
 * (its window's start), or null when the protocol has no checkpoint or dosing has not started.
 */
export function checkpointBpFrom(dosingStartedAt: Date | null, vitals: Checkpoints): { checkpoint: number; from: Date } | null {
  const checkpoint = vitals.checkpointsMin[0];
  if (!dosingStartedAt || checkpoint === undefined) return null;
  return { checkpoint, from: new Date(dosingStartedAt.getTime() + (checkpoint - vitals.checkpointWindowMin.before) * 60_000) };
}
