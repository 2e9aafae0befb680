/**
 * What a treatment protocol holds (clinical-rules.md section 1). Every clinical figure a rule
 * uses comes from here, never from a literal in the rule: clinics edit them, sessions keep the
 * version they started with.
 */
import type { ThresholdOverrides } from './threshold-rules.js';

export const DOSE_ROUTES = ['iv', 'im', 'intranasal'] as const;
export type DoseRoute = (typeof DOSE_ROUTES)[number];
/** How the dose is set: mg/kg of body weight, or whole nasal spray devices. */
export const DOSE_RULE_KINDS = ['weight-based', 'fixed-devices'] as const;
/** Where minimum observation counts from: the end of dosing, or (esketamine, label) the first device. */
export const OBSERVATION_STARTS = ['dosing-end', 'first-dose'] as const;
export type ObservationStart = (typeof OBSERVATION_STARTS)[number];

/** Weight-based racemic ketamine: one mg/kg, or steps by session number (Cusin 2017 escalation). */
export interface WeightBasedDoseRule {
  kind: 'weight-based';
  /** mg/kg by induction session: the first `sessions` of step 1, then step 2, …; the last step holds after. */
  steps: { sessions: number | null; mgPerKg: number }[];
}

/** Esketamine nasal spray: whole devices only, a fixed list of doses (Spravato label). */
export interface FixedDeviceDoseRule {
  kind: 'fixed-devices';
  deviceMg: number;
  allowedDosesMg: number[];
  /** The first session's dose; a higher dose only after a session at this dose. */
  firstDoseMg: number;
  minutesBetweenDevices: number;
}

export type DoseRule = WeightBasedDoseRule | FixedDeviceDoseRule;

/** Outside [minMgPerKg, maxMgPerKg], or a change of more than maxStepMgPerKg, needs an anesthesiologist's order. */
export interface DoseLimits {
  minMgPerKg: number;
  maxMgPerKg: number;
  maxStepMgPerKg: number;
}

export interface VitalsSchedule {
  /** Expected reading interval while dosing (IV infusion), null when not timed. */
  duringDosingEveryMin: number | null;
  observationEveryMin: number;
  /** Mandatory readings, minutes after the first dose (esketamine: 40). */
  checkpointsMin: number[];
  /** A reading later than this past its expected time raises "vitals overdue". */
  overdueAfterMin: number;
  /** Discharge needs vitals at most this old (clinical-rules.md section 4: 15). */
  dischargeMaxAgeMin: number;
  /** A checkpoint reading counts when measured this many minutes before or after it (CLINIC). */
  checkpointWindowMin: { before: number; after: number };
}

export interface PreSessionRules {
  baselineMaxAgeMin: number;
  baselineMaxSystolic: number;
  baselineMaxDiastolic: number;
  escortRequired: boolean;
  /** Minutes without food / liquids before dosing; null when the protocol sets none. */
  fastingFoodMin: number | null;
  fastingLiquidsMin: number | null;
  remsEnrollmentRequired: boolean;
  prescriberOnSiteRequired: boolean;
}

export interface InductionPlan {
  phases: { sessions: number; perWeek: number }[];
  minDaysApart: number;
  /** The whole series fits in this many days (Murrough 2013: 12–21); null when the protocol sets none. */
  windowDays: { min: number; max: number } | null;
}

export interface MaintenancePlan {
  intervalDays: number;
  /** Intervals a clinician may choose instead (esketamine label: weekly or every 2 weeks). */
  allowedIntervalDays: number[];
}

export interface LevelPair {
  warning: number | null;
  critical: number | null;
}

/** Section 3 defaults; high = at or above, low = below, rise = at or above baseline + value. */
export interface ThresholdSet {
  systolic: { high: LevelPair; low: LevelPair; riseWarning: number | null };
  diastolic: { high: LevelPair; riseWarning: number | null };
  heartRate: { high: LevelPair; low: LevelPair };
  spo2: { low: LevelPair };
  respiratoryRate: { high: LevelPair; low: LevelPair };
  /** warning on any drop of at least `dropWarning` from the pre-dose score; critical at or below `criticalAtOrBelow`. */
  moaas: { dropWarning: number | null; criticalAtOrBelow: number | null };
  deviceWarningConsecutive: number;
  deviceWarningWindowMin: number;
}

export interface ProtocolDefinition {
  name: string;
  route: DoseRoute;
  doseRule: DoseRule;
  doseLimits: DoseLimits | null;
  /** Infusion length; null for an injection or device-timed dosing. */
  durationMin: number | null;
  minObservationMin: number;
  /** A label minimum nobody may lower (esketamine: 120); null when the figure is a clinic choice. */
  observationFloorMin: number | null;
  observationFrom: ObservationStart;
  minAgeYears: number;
  weightMaxAgeDays: number;
  vitals: VitalsSchedule;
  preSession: PreSessionRules;
  requiredConsentKinds: string[];
  absoluteContraindications: string[];
  induction: InductionPlan;
  maintenance: MaintenancePlan;
  /** Overrides of the clinic's thresholds for this protocol ({} = the clinic's as they are). */
  thresholds: ThresholdOverrides;
  /** Where each figure comes from (clinical-rules.md): LABEL, SOURCED or CLINIC, with the reference. */
  sources: Record<string, string>;
}
