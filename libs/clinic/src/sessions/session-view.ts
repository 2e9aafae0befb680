import { roundTo } from '../dosing/index.js';
import type { Session } from './session.entity.js';
import type { SessionStatus } from './session-state.js';

/** A session as the API answers it (every verb answers the session it moved). */
export interface SessionView {
  id: string;
  patientId: string;
  protocol: string;
  protocolVersionId: string;
  appointmentId: string | null;
  status: SessionStatus;
  nurseUserId: string | null;
  anesthesiologistUserId: string | null;
  chairId: string | null;
  chairLabel: string | null;
  preChecks: Session['preChecks'];
  startOverrides: Session['startOverrides'];
  baselineReadingId: string | null;
  dose: {
    mgPerKg: number | null;
    orderedDoseMg: number | null;
    doseMg: number | null;
    weightKg: number | null;
    concentrationMgPerMl: number | null;
    rateMgPerH: number | null;
    rateMlPerH: number | null;
    durationMin: number | null;
    devices: number | null;
    /** Set at the end of dosing or its abort: the dose of record (measured when the bag was measured, else computed). */
    deliveredDoseMg: number | null;
    /** From the pump history (pauses, rate changes, end or abort) or, for esketamine, the devices given. */
    computedDoseMg: number | null;
    bagRemainingMl: number | null;
    /** delivered − the dose drawn up (doseMg). */
    differenceMg: number | null;
    /** The measured figure − the computed one, when the bag was measured. */
    measuredMinusComputedMg: number | null;
  };
  checkedInAt: string | null;
  dosingStartedAt: string | null;
  dosingEndedAt: string | null;
  observationFrom: string | null;
  endedAt: string | null;
  lastReadingAt: string | null;
  createdAt: string;
  version: number;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function sessionView(s: Session): SessionView {
  return {
    id: s.id,
    patientId: s.patientId,
    protocol: s.protocolKey,
    protocolVersionId: s.protocolVersionId,
    appointmentId: s.appointmentId,
    status: s.status,
    nurseUserId: s.nurseUserId,
    anesthesiologistUserId: s.anesthesiologistUserId,
    chairId: s.chairId,
    chairLabel: s.chairLabel,
    preChecks: s.preChecks,
    startOverrides: s.startOverrides,
    baselineReadingId: s.baselineReadingId,
    dose: {
      mgPerKg: s.doseMgPerKg,
      orderedDoseMg: s.orderedDoseMg,
      doseMg: s.doseMg,
      weightKg: s.weightKg,
      concentrationMgPerMl: s.concentrationMgPerMl,
      rateMgPerH: s.rateMgPerH,
      rateMlPerH: s.rateMlPerH,
      durationMin: s.durationMin,
      devices: s.devices,
      deliveredDoseMg: s.deliveredDoseMg,
      computedDoseMg: s.computedDoseMg,
      bagRemainingMl: s.bagRemainingMl,
      differenceMg: s.deliveredDoseMg !== null && s.doseMg !== null ? roundTo(s.deliveredDoseMg - s.doseMg, 1) : null,
      measuredMinusComputedMg:
        s.bagRemainingMl !== null && s.deliveredDoseMg !== null && s.computedDoseMg !== null
          ? roundTo(s.deliveredDoseMg - s.computedDoseMg, 1)
          : null,
    },
    checkedInAt: iso(s.checkedInAt),
    dosingStartedAt: iso(s.dosingStartedAt),
    dosingEndedAt: iso(s.dosingEndedAt),
    observationFrom: iso(s.observationFrom),
    endedAt: iso(s.endedAt),
    lastReadingAt: iso(s.lastReadingAt),
    createdAt: s.createdAt.toISOString(),
    version: s.version,
  };
}
