import type { Actor, FieldProblem } from '#platform';

/** What every clinical event carries: whose clinic, who caused it, and when it happened clinically. */
interface EventBase {
  clinicId: string;
  actor: Actor;
  at: Date;
}

/** What a reaction to a patient-wide change did to the patient's bookings (summed over handlers). */
export interface BookingEffects {
  appointmentsFlagged: number;
  stoppedSeries: string[];
  /** Future bookings the reaction cancelled (discharge from care frees their chairs). */
  cancelledAppointments?: string[];
}

/**
 * Every clinical event Vigil publishes: its payload and what a handler may answer. Domains publish
 * inside the transaction that made the change; handlers (`@OnClinicEvent`) run in that same
 * transaction, so a reaction is committed or rolled back with its cause.
 */
export interface ClinicEventMap {
  /** A session was created, for an appointment or not. */
  SessionOpened: { payload: EventBase & { sessionId: string; patientId: string; appointmentId: string | null }; reply: void };
  /**
   * A session moved along its state machine (check-in, start, pause, end dosing, discharge, cancel,
   * no-show, abort); `verb`, `from` and `to` are the sessions domain's names, the lowest layer cannot
   * import them.
   */
  SessionStatusChanged: {
    payload: EventBase & { sessionId: string; patientId: string; verb: string; from: string; to: string };
    reply: void;
  };
  /**
   * A session's dose is being drawn, in the start's transaction. From a named controlled-substance
   * container (vial or kit): the ledger records the draw and answers the container's lot, or refuses
   * the start (an expired, quarantined or empty container, not enough left in it, another substance).
   * With only a typed lot (`containerId` null): the ledger answers that lot, or refuses the start when
   * the clinic keeps its controlled substances in Vigil (a dose must then come from a container).
   */
  ControlledDoseDrawn: {
    payload: EventBase & {
      sessionId: string;
      patientId: string;
      containerId: string | null;
      typedLot: string | null;
      substance: 'ketamine' | 'esketamine';
      doseMg: number;
    };
    reply: { lot: string };
  };
  /** A patient's consent was withdrawn; `protocolKeys` are the protocols of the clinic that require its kind. */
  ConsentWithdrawn: {
    payload: EventBase & { patientId: string; consentId: string; kind: string; protocolKeys: string[] };
    reply: BookingEffects;
  };
  /** A PHQ-9 or GAD-7 recorded as the latest point shows relapse after induction (`signal`: e.g. "PHQ-9 17"). */
  RelapseDetected: { payload: EventBase & { patientId: string; signal: string }; reply: void };
  /** The clinic ended the patient's care. */
  PatientDischargedFromCare: { payload: EventBase & { patientId: string; reason: string }; reply: BookingEffects };
  /**
   * Readings were stored (one group commit: requests of several clinics and actors, so no EventBase):
   * per session moved on, its baseline and latest measurement time; every new reading with its session
   * and measurement time. The sessions domain keeps its row in step in one statement.
   */
  ReadingsRecorded: { payload: ReadingsRecordedPayload; reply: void };
  /**
   * An assessment was recorded for a patient, with the session it was given in (as the client named
   * it: the sessions domain checks it is this patient's) and its suicide-risk findings. Reply: true when
   * the risks became alerts on the patient's session in the clinic (the anesthesiologists get a review task either way).
   */
  AssessmentRecorded: {
    payload: EventBase & { patientId: string; assessmentId: string; sessionId: string | null; risks: SuicideRisk[] };
    reply: boolean;
  };
  /**
   * A clinic is about to store a protocol version with these threshold overrides (in the edit's
   * transaction). Reply: what is wrong with the effective thresholds they make (empty: nothing);
   * any problem refuses the edit.
   */
  ProtocolThresholdsEditing: { payload: EventBase & { protocolKey: string; thresholds: Record<string, unknown> }; reply: FieldProblem[] };
  /**
   * An administrator is retiring a chair (locked, in the retirement's transaction): scheduling
   * refuses it while patients are booked into it from now on (409 CHAIR_HAS_FUTURE_BOOKINGS).
   */
  ChairRetiring: { payload: EventBase & { chairId: string; chairName: string }; reply: void };
}

/** What `ReadingsRecorded` carries (the seam where the session row, the monitor feed and the board follow readings). */
export interface ReadingsRecordedPayload {
  at: Date;
  sessions: Array<{ sessionId: string; clinicId: string; baselineReadingId: string | null; lastReadingAt: Date | null }>;
  readings: Array<{ id: string; sessionId: string; measuredAt: Date }>;
}

/** A suicide-risk finding of an assessment (PHQ-9 item 9 above 0: warning; a high-risk C-SSRS screener: critical). */
export interface SuicideRisk {
  flag: string;
  level: 'warning' | 'critical';
  message: string;
}

export type ClinicEventName = keyof ClinicEventMap;
export type ClinicEventPayload<K extends ClinicEventName> = ClinicEventMap[K]['payload'];
export type ClinicEventReply<K extends ClinicEventName> = ClinicEventMap[K]['reply'];

/**
 * The catalogue the start-up check reads: an event that `required` a reaction and has no handler
 * stops start-up, as does a handler for a name not listed here.
 */
export const CLINIC_EVENTS: Readonly<Record<ClinicEventName, { required: boolean }>> = {
  SessionOpened: { required: true },
  SessionStatusChanged: { required: true },
  ControlledDoseDrawn: { required: true }, // the ledger records the draw: a start never gives a dose it did not record
  ConsentWithdrawn: { required: true },
  RelapseDetected: { required: true },
  PatientDischargedFromCare: { required: true },
  ReadingsRecorded: { required: true }, // the session row (baseline, last reading) follows its readings
  AssessmentRecorded: { required: true }, // the session named is checked; suicide risk alerts the session in the clinic
  ChairRetiring: { required: true }, // no chair is retired under a patient's booking
  ProtocolThresholdsEditing: { required: true }, // thresholds judges the effective sets (clinic + protocol + patients) before the edit stores
};
