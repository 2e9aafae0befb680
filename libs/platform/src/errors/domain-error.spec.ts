import { DomainError, type RuleProblem } from './domain-error.js';
import { ErrorCode } from './error-code.js';

describe('DomainError.firstRuleUnmet', () => {
  const stale: RuleProblem = { code: 'VITALS_STALE', message: 'record vitals', overridable: false };
  const alerts: RuleProblem = { code: 'UNRESOLVED_ALERTS', message: 'resolve alerts', overridable: false };

  it.each([
    { rules: [stale, alerts], code: 'VITALS_STALE' },
    { rules: [alerts], code: 'UNRESOLVED_ALERTS' },
    { rules: [], code: ErrorCode.RuleUnmet },
  ])('names a 422 of $rules.length rule(s) $code, listing every rule', ({ rules, code }) => {
    const error = DomainError.firstRuleUnmet('cannot', rules);
    expect(error).toMatchObject({ status: 422, code, message: 'cannot', details: rules });
  });
});

describe('DomainError factories', () => {
  it.each([
    { error: DomainError.conflict(ErrorCode.FollowUpClosed, 'closed'), status: 409, code: 'FOLLOW_UP_CLOSED' },
    { error: DomainError.rulesUnmet(ErrorCode.SeriesWindowExceeded, 'too long', []), status: 422, code: 'SERIES_WINDOW_EXCEEDED' },
    { error: DomainError.notFound('Patient'), status: 404, code: 'NOT_FOUND' },
  ])('$code keeps the string clients rely on', ({ error, status, code }) => {
    expect(error).toMatchObject({ status, code });
  });
});
