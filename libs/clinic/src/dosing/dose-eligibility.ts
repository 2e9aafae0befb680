import type { RuleProblem } from '#platform';
import type { ProtocolVersion } from '../protocols/index.js';
import { weightIsCurrent } from './dose-math.js';

/**
 * Hard stops before any dose (clinical-rules.md section 1): the patient under the protocol's
 * minimum age, no weight on record, or a weight older than the protocol accepts.
 */
export function eligibilityProblems(
  ageYears: number,
  weight: { measuredAt: Date } | null,
  protocol: Pick<ProtocolVersion, 'key' | 'minAgeYears' | 'weightMaxAgeDays'>,
  now: Date,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (ageYears < protocol.minAgeYears)
    problems.push({
      code: 'PATIENT_UNDER_MIN_AGE',
      message: `${ageYears} years; ${protocol.key} requires ${protocol.minAgeYears}`,
      overridable: false,
    });
  if (!weight) problems.push({ code: 'WEIGHT_MISSING', message: 'no weight recorded', overridable: false });
  else if (!weightIsCurrent(weight.measuredAt, now, protocol.weightMaxAgeDays))
    problems.push({
      code: 'WEIGHT_OUT_OF_DATE',
      message: `weight measured ${weight.measuredAt.toISOString()}, more than ${protocol.weightMaxAgeDays} days ago: weigh the patient again`,
      overridable: false,
    });
  return problems;
}
