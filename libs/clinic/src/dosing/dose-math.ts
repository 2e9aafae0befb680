import type { RuleProblem } from '#platform';
import type { DoseLimits, FixedDeviceDoseRule, WeightBasedDoseRule } from '../protocols/index.js';

/**
 * Dose arithmetic of clinical-rules.md section 1, as pure functions:
 * dose_mg = mg_per_kg × weight_kg; rate_mg_per_h = dose_mg ÷ (minutes ÷ 60);
 * rate_ml_per_h = rate_mg_per_h ÷ concentration; volume_ml = dose_mg ÷ concentration.
 * The order is never rounded; the delivered dose rounds to 0.1 mg and rates to 0.1 mL/h.
 */
export interface WeightBasedDose {
  weightKg: number;
  mgPerKg: number;
  /** mg/kg × kg, exactly as ordered. */
  orderedDoseMg: number;
  /** What the pump delivers, to 0.1 mg. */
  doseMg: number;
  durationMin: number | null;
  rateMgPerH: number | null;
  concentrationMgPerMl: number | null;
  rateMlPerH: number | null;
  volumeMl: number | null;
}

/** Rounds half away from zero to `decimals` places, immune to binary artefacts such as 1.005. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Number((Math.abs(value) * factor).toPrecision(12)))) / factor;
}

export function weightBasedDose(input: {
  weightKg: number;
  mgPerKg: number;
  durationMin: number | null;
  concentrationMgPerMl?: number | null;
}): WeightBasedDose {
  const { weightKg, mgPerKg, durationMin } = input;
  const concentration = input.concentrationMgPerMl ?? null;
  const orderedDoseMg = Number((mgPerKg * weightKg).toPrecision(12));
  const rateMgPerHExact = durationMin ? (orderedDoseMg * 60) / durationMin : null;
  return {
    weightKg,
    mgPerKg,
    orderedDoseMg,
    doseMg: roundTo(orderedDoseMg, 1),
    durationMin,
    rateMgPerH: rateMgPerHExact === null ? null : roundTo(rateMgPerHExact, 1),
    concentrationMgPerMl: concentration,
    rateMlPerH: rateMgPerHExact !== null && concentration ? roundTo(rateMgPerHExact / concentration, 1) : null,
    volumeMl: concentration ? roundTo(orderedDoseMg / concentration, 1) : null,
  };
}

/** The protocol's mg/kg for the n-th session (1-based): each step covers its `sessions`, the last holds. */
export function mgPerKgForSession(rule: WeightBasedDoseRule, sessionNumber: number): number {
  let remaining = sessionNumber;
  for (const step of rule.steps) {
    if (step.sessions === null || remaining <= step.sessions) return step.mgPerKg;
    remaining -= step.sessions;
  }
  const last = rule.steps[rule.steps.length - 1];
  if (!last) throw new Error('dose rule has no steps');
  return last.mgPerKg;
}

const EPSILON = 1e-9;

/**
 * Racemic ketamine outside the protocol's limits, or stepping more than the allowed change from
 * the last session (Andrade 2017, Fava 2018: 0.1–1.0 mg/kg), needs an anesthesiologist's order.
 */
export function doseRangeProblems(mgPerKg: number, limits: DoseLimits, lastMgPerKg: number | null): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const soft = { overridable: true, overrideRole: 'anesthesiologist' };
  if (mgPerKg < limits.minMgPerKg - EPSILON)
    problems.push({
      code: 'DOSE_BELOW_MIN',
      message: `${mgPerKg} mg/kg is below the protocol minimum of ${limits.minMgPerKg} mg/kg`,
      ...soft,
    });
  if (mgPerKg > limits.maxMgPerKg + EPSILON)
    problems.push({
      code: 'DOSE_ABOVE_MAX',
      message: `${mgPerKg} mg/kg is above the protocol maximum of ${limits.maxMgPerKg} mg/kg`,
      ...soft,
    });
  if (lastMgPerKg !== null && Math.abs(mgPerKg - lastMgPerKg) > limits.maxStepMgPerKg + EPSILON)
    problems.push({
      code: 'DOSE_STEP_TOO_LARGE',
      message: `${mgPerKg} mg/kg changes the last session's ${lastMgPerKg} mg/kg by more than ${limits.maxStepMgPerKg} mg/kg`,
      ...soft,
    });
  return problems;
}

export interface DeviceDose {
  doseMg: number;
  devices: number;
  deviceMg: number;
  /** One device every `minutesBetweenDevices` (Spravato label: 5 min). */
  durationMin: number;
}

/**
 * Esketamine (Spravato label): only the listed doses, whole devices; the first session at the first
 * dose and a higher dose only after a session at it. None of this can be overridden.
 */
export function deviceDose(
  rule: FixedDeviceDoseRule,
  doseMg: number,
  previousDosesMg: number[],
): { dose: DeviceDose; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const hard = { overridable: false };
  if (!rule.allowedDosesMg.includes(doseMg) || doseMg % rule.deviceMg !== 0) {
    problems.push({
      code: 'DOSE_NOT_ALLOWED',
      message: `${doseMg} mg is not an allowed dose; allowed: ${rule.allowedDosesMg.join(' or ')} mg`,
      ...hard,
    });
  } else if (doseMg !== rule.firstDoseMg && !previousDosesMg.includes(rule.firstDoseMg)) {
    problems.push({
      code: 'DOSE_BEFORE_FIRST_DOSE',
      message: `${doseMg} mg only after a session at ${rule.firstDoseMg} mg`,
      ...hard,
    });
  }
  const devices = Math.ceil(doseMg / rule.deviceMg);
  return {
    dose: { doseMg, devices, deviceMg: rule.deviceMg, durationMin: devices * rule.minutesBetweenDevices },
    problems,
  };
}

/** The weight may be used only if measured within `maxAgeDays` (clinical-rules.md section 1: 30 days, CLINIC). */
export function weightIsCurrent(measuredAt: Date, now: Date, maxAgeDays: number): boolean {
  return now.getTime() - measuredAt.getTime() <= maxAgeDays * 24 * 60 * 60 * 1000;
}
