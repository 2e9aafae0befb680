import type { RuleProblem } from '#platform';

export interface DischargeChecklist {
  alertAndOriented: boolean;
  walksSteadily: boolean;
  nauseaControlled: boolean;
  escortConfirmed: boolean;
  /** Told not to drive until the next day after sleep (label wording for esketamine; practice for ketamine). */
  drivingInstructionGiven: boolean;
}

export interface DischargeFacts {
  now: Date;
  observationFrom: Date | null;
  minObservationMin: number;
  vitalsMaxAgeMin: number;
  latestReading: { measuredAt: Date; breachLevel: 'none' | 'warning' | 'critical' } | null;
  /** An anesthesiologist attested the latest vitals as acceptable (after that reading). */
  vitalsAttested: boolean;
  unresolvedAlerts: number;
  preDoseMoaas: number | null;
  latestMoaas: number | null;
  /** The latest observation check's dissociation answer (null: none recorded). */
  dissociation: 'resolved' | 'present' | null;
  checklist: DischargeChecklist;
  /** Esketamine only: which of the three label blood pressures are recorded. */
  remsBp: { preDose: boolean; at40Min: boolean; beforeDischarge: boolean } | null;
}

const hard = { overridable: false };

/**
 * VITALS_STALE, naming the vital judged and how old it is: the blood pressure (an SpO2 or a heart
 * rate alone, as a monitor sends them, says nothing of it), measured after the end of dosing.
 */
function staleVitals(bp: DischargeFacts['latestReading'], now: Date, maxAgeMin: number): RuleProblem {
  const minutesAgo = bp ? Math.floor((now.getTime() - bp.measuredAt.getTime()) / 60_000) : null;
  return {
    code: 'VITALS_STALE',
    message: bp
      ? `blood pressure last measured ${minutesAgo} min ago (at most ${maxAgeMin} min before discharge)`
      : `no blood pressure measured since the end of dosing (one at most ${maxAgeMin} min before discharge is needed)`,
    stale: [{ vital: 'blood-pressure', lastMeasuredAt: bp?.measuredAt.toISOString() ?? null, minutesAgo }],
    ...hard,
  };
}

/**
 * clinical-rules.md section 4: every criterion the discharge does not meet, each with its code.
 * Only out-of-range vitals can be passed, by an anesthesiologist's attestation; the minimum
 * observation cannot (esketamine's 120 minutes is the label's).
 */
export function dischargeProblems(f: DischargeFacts): RuleProblem[] {
  const p: RuleProblem[] = [];
  const observed = f.observationFrom ? (f.now.getTime() - f.observationFrom.getTime()) / 60_000 : 0;
  if (!f.observationFrom || observed < f.minObservationMin) {
    const minutesRemaining = Math.ceil(f.minObservationMin - observed);
    p.push({
      code: 'MIN_OBSERVATION_NOT_MET',
      message: `${minutesRemaining} min of the ${f.minObservationMin}-min minimum observation remain`,
      minutesRemaining,
      ...hard,
    });
  }
  const r = f.latestReading;
  if (!r || (f.now.getTime() - r.measuredAt.getTime()) / 60_000 > f.vitalsMaxAgeMin) {
    p.push(staleVitals(r, f.now, f.vitalsMaxAgeMin));
  } else if (r.breachLevel !== 'none' && !f.vitalsAttested) {
    p.push({
      code: 'VITALS_OUT_OF_RANGE',
      message: `the latest vitals breach a ${r.breachLevel} threshold`,
      overridable: true,
      overrideRole: 'anesthesiologist',
      how: 'POST /sessions/:id/attest-vitals',
    });
  }
  if (f.unresolvedAlerts > 0)
    p.push({ code: 'OPEN_ALERTS', message: `${f.unresolvedAlerts} alert(s) not resolved`, count: f.unresolvedAlerts, ...hard });
  if (f.latestMoaas === null || f.latestMoaas < (f.preDoseMoaas ?? 5))
    p.push({
      code: 'SEDATION_NOT_RESOLVED',
      message: `MOAA/S ${f.latestMoaas ?? 'not recorded'} is below the pre-dose ${f.preDoseMoaas ?? 5}`,
      ...hard,
    });
  if (f.dissociation !== 'resolved')
    p.push({
      code: 'DISSOCIATION_NOT_RESOLVED',
      message: f.dissociation === null ? 'dissociation not assessed' : 'dissociation still present',
      ...hard,
    });
  const c = f.checklist;
  if (!c.alertAndOriented) p.push({ code: 'NOT_ALERT_AND_ORIENTED', message: 'the patient is not alert and oriented', ...hard });
  if (!c.walksSteadily) p.push({ code: 'GAIT_UNSTEADY', message: 'the patient does not walk steadily', ...hard });
  if (!c.nauseaControlled) p.push({ code: 'NAUSEA_NOT_CONTROLLED', message: 'nausea is not controlled', ...hard });
  if (!c.escortConfirmed) p.push({ code: 'ESCORT_NOT_CONFIRMED', message: 'no responsible adult escort or transport confirmed', ...hard });
  if (!c.drivingInstructionGiven)
    p.push({
      code: 'DRIVING_INSTRUCTION_NOT_GIVEN',
      message: 'the patient was not told not to drive until the next day after sleep',
      ...hard,
    });
  if (f.remsBp) {
    const missing = [
      f.remsBp.preDose ? null : 'before dosing',
      f.remsBp.at40Min ? null : 'at 40 minutes',
      f.remsBp.beforeDischarge ? null : 'before discharge',
    ].filter(Boolean);
    // Spravato label: blood pressure before dosing, about 40 minutes after, and before discharge.
    if (missing.length) p.push({ code: 'REMS_BP_MISSING', message: `blood pressure missing ${missing.join(', ')}`, missing, ...hard });
  }
  return p;
}
