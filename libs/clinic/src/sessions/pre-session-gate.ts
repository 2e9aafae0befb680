import type { RuleProblem } from '#platform';
import type { PreSessionRules } from '../protocols/index.js';
import type { BaselineVital } from './baseline.js';
import type { PreChecks } from './session.entity.js';

export interface GateFacts {
  now: Date;
  rules: PreSessionRules;
  missingConsentKinds: string[];
  remsEnrollmentActive: boolean;
  /** Absolute contraindications recorded for the patient that this protocol lists. */
  contraindications: string[];
  unacknowledgedCautions: string[];
  /** The freshest complete baseline before dosing (baseline.ts), null when there is none. */
  baseline: { systolic: number; diastolic: number; measuredAt: Date } | null;
  /** When each vital of the baseline set was last measured before dosing: what a refusal names. */
  baselineVitals: Record<BaselineVital, Date | null>;
  preChecks: PreChecks | null;
  pregnancyRelevant: boolean;
  prescriberPresent: boolean;
  /** The latest C-SSRS screener is high risk and not yet reviewed by an anesthesiologist. */
  cssrsUnreviewed: boolean;
}

const hard = { overridable: false };
const soft = { overridable: true, overrideRole: 'anesthesiologist' };
const minutesSince = (iso: string, now: Date) => (now.getTime() - new Date(iso).getTime()) / 60_000;
const VITAL_NAMES: Record<BaselineVital, string> = { 'blood-pressure': 'blood pressure', 'heart-rate': 'heart rate', spo2: 'SpO2' };

/**
 * BASELINE_VITALS_MISSING, saying what is missing: a vital never measured before dosing, a set too
 * old, or vitals that were never taken within a minute of one another; `vitals` gives each one's age.
 */
function baselineMissing(f: GateFacts): RuleProblem {
  const max = f.rules.baselineMaxAgeMin;
  const ageMin = (at: Date) => Math.floor((f.now.getTime() - at.getTime()) / 60_000);
  const vitals = (Object.entries(f.baselineVitals) as [BaselineVital, Date | null][]).map(([vital, at]) => ({
    vital,
    lastMeasuredAt: at?.toISOString() ?? null,
    minutesAgo: at ? ageMin(at) : null,
  }));
  const never = vitals.filter((v) => v.lastMeasuredAt === null).map((v) => VITAL_NAMES[v.vital]);
  const why = f.baseline
    ? `the latest was taken ${ageMin(f.baseline.measuredAt)} min ago`
    : never.length
      ? `no ${never.join(', no ')} measured before dosing`
      : 'blood pressure, heart rate and SpO2 were not measured within a minute of one another';
  return {
    code: 'BASELINE_VITALS_MISSING',
    message: `no complete baseline (blood pressure, heart rate, SpO2 within a minute) in the last ${max} minutes: ${why}`,
    vitals,
    ...hard,
  };
}

/**
 * clinical-rules.md section 2: every rule the start of this session breaks, each with its code.
 * Soft stops (high baseline BP, an unacknowledged relative caution, a reported pregnancy, a
 * high-risk C-SSRS screener) pass with an anesthesiologist's reason; the rest cannot be overridden.
 */
export function preSessionProblems(f: GateFacts): RuleProblem[] {
  const p: RuleProblem[] = [];
  for (const kind of f.missingConsentKinds) p.push({ code: 'CONSENT_MISSING', message: `no active ${kind} consent`, kind, ...hard });
  for (const item of f.contraindications)
    p.push({ code: 'CONTRAINDICATION', message: `absolute contraindication recorded: ${item}`, item, ...hard });
  if (f.unacknowledgedCautions.length)
    p.push({
      code: 'RELATIVE_CAUTION',
      message: `not yet acknowledged by an anesthesiologist: ${f.unacknowledgedCautions.join(', ')}`,
      items: f.unacknowledgedCautions,
      ...soft,
    });
  const b = f.baseline;
  if (!b || (f.now.getTime() - b.measuredAt.getTime()) / 60_000 > f.rules.baselineMaxAgeMin) {
    p.push(baselineMissing(f));
  } else if (b.systolic > f.rules.baselineMaxSystolic || b.diastolic > f.rules.baselineMaxDiastolic) {
    // Spravato label: "as a general guide >140/90 … a decision to delay".
    p.push({
      code: 'BASELINE_BP_HIGH',
      message: `baseline ${b.systolic}/${b.diastolic} is above ${f.rules.baselineMaxSystolic}/${f.rules.baselineMaxDiastolic}`,
      ...soft,
    });
  }
  const c = f.preChecks;
  if (!c) {
    p.push({ code: 'PRE_CHECKS_MISSING', message: 'the pre-session checklist has not been recorded', ...hard });
  } else {
    if (f.rules.escortRequired && c.transportHome === 'none')
      p.push({ code: 'ESCORT_NOT_CONFIRMED', message: 'no escort or arranged transport home', ...hard });
    if (f.rules.fastingFoodMin !== null) {
      if (!c.lastFoodAt) p.push({ code: 'FASTING_NOT_RECORDED', message: 'time of the last food not recorded', ...hard });
      else if (minutesSince(c.lastFoodAt, f.now) < f.rules.fastingFoodMin)
        p.push({ code: 'FASTING_NOT_MET', message: `food within the last ${f.rules.fastingFoodMin} minutes`, ...hard });
    }
    if (f.rules.fastingLiquidsMin !== null) {
      if (!c.lastLiquidsAt) p.push({ code: 'FASTING_NOT_RECORDED', message: 'time of the last liquids not recorded', ...hard });
      else if (minutesSince(c.lastLiquidsAt, f.now) < f.rules.fastingLiquidsMin)
        p.push({ code: 'FASTING_NOT_MET', message: `liquids within the last ${f.rules.fastingLiquidsMin} minutes`, ...hard });
    }
    if (f.pregnancyRelevant && (c.pregnancyStatus === null || c.pregnancyStatus === 'unknown'))
      p.push({ code: 'PREGNANCY_STATUS_MISSING', message: 'pregnancy status not recorded', ...hard });
    if (c.pregnancyStatus === 'pregnant') p.push({ code: 'PREGNANT', message: 'the patient reports a pregnancy', ...soft });
    if (c.cssrsScreener === 'high-risk')
      p.push({ code: 'CSSRS_HIGH_RISK', message: 'high-risk C-SSRS screener: an anesthesiologist must review', ...soft });
  }
  if (f.cssrsUnreviewed)
    p.push({ code: 'CSSRS_REVIEW_REQUIRED', message: 'a high-risk C-SSRS screener awaits an anesthesiologist’s review', ...hard });
  if (f.rules.remsEnrollmentRequired && !f.remsEnrollmentActive)
    p.push({ code: 'REMS_ENROLLMENT_MISSING', message: 'no active Spravato REMS enrollment signed by patient and prescriber', ...hard });
  if (f.rules.prescriberOnSiteRequired && !f.prescriberPresent)
    p.push({ code: 'PRESCRIBER_NOT_PRESENT', message: 'no anesthesiologist is checked in to this session', ...hard });
  return p;
}
