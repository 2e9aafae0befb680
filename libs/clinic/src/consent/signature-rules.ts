import type { FieldProblem } from '#platform';

/** Clocks of tablets and servers differ a little: a signature up to 2 minutes "in the future" is accepted. */
export const FUTURE_TOLERANCE_MS = 2 * 60_000;

/** A signature cannot be dated in the future, nor can the prescriber's; a time not given is not judged. */
export function signatureTimeProblems(input: { signedAt?: Date; prescriberSignedAt?: Date }, now: Date): FieldProblem[] {
  const limit = now.getTime() + FUTURE_TOLERANCE_MS;
  const problems: FieldProblem[] = [];
  if (input.signedAt && input.signedAt.getTime() > limit) problems.push({ field: 'signedAt', message: 'must not be in the future' });
  if (input.prescriberSignedAt && input.prescriberSignedAt.getTime() > limit)
    problems.push({ field: 'prescriberSignedAt', message: 'must not be in the future' });
  return problems;
}
