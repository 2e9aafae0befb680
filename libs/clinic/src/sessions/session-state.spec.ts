import {
  isDosed,
  isDosing,
  nextStatus,
  occurredAtProblem,
  phaseOf,
  SESSION_STATUSES,
  TRANSITIONS,
  type SessionStatus,
  type SessionVerb,
} from './session-state.js';

describe('session lifecycle', () => {
  it.each([
    ['scheduled', 'check-in', 'checked_in'],
    ['checked_in', 'pre-checks', 'ready'],
    ['ready', 'pre-checks', 'ready'],
    ['ready', 'start', 'dosing'],
    ['dosing', 'pause', 'paused'],
    ['paused', 'resume', 'dosing'],
    ['dosing', 'end-dosing', 'observation'],
    ['paused', 'end-dosing', 'observation'],
    ['dosing', 'abort', 'aborted'],
    ['observation', 'discharge', 'discharged'],
    ['aborted', 'discharge', 'discharged'],
    ['ready', 'cancel', 'cancelled'],
    ['scheduled', 'no-show', 'no_show'],
  ] as [SessionStatus, SessionVerb, SessionStatus][])('%s --%s--> %s', (from, verb, to) => {
    expect(nextStatus(from, verb)).toBe(to);
  });

  it.each([
    ['scheduled', 'start'],
    ['checked_in', 'start'],
    ['dosing', 'start'],
    ['dosing', 'cancel'],
    ['checked_in', 'no-show'],
    ['observation', 'pause'],
    ['discharged', 'check-in'],
    ['cancelled', 'check-in'],
    ['dosing', 'discharge'],
  ] as [SessionStatus, SessionVerb][])('%s cannot %s', (from, verb) => {
    expect(nextStatus(from, verb)).toBeNull();
  });

  it('nothing leaves a terminal state', () => {
    for (const terminal of ['discharged', 'cancelled', 'no_show'] as SessionStatus[]) {
      for (const verb of Object.keys(TRANSITIONS) as SessionVerb[]) expect(nextStatus(terminal, verb)).toBeNull();
    }
    expect(SESSION_STATUSES).toHaveLength(10);
  });
});

describe('charting late', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  const at = (iso: string) => new Date(iso);
  it.each([
    ['2026-11-21T09:50:00Z', null, null],
    ['2026-11-21T09:45:00Z', null, null],
    ['2026-11-21T09:44:59Z', null, 'may be at most 15 minutes in the past'],
    ['2026-11-21T10:05:00Z', null, 'must not be in the future'],
    ['2026-11-21T09:50:00Z', '2026-11-21T09:55:00Z', 'must not be before the previous event (2026-11-21T09:55:00.000Z)'],
    ['2026-11-21T09:55:00Z', '2026-11-21T09:55:00Z', null],
  ])('occurredAt %s after %s: %s', (occurred, previous, problem) => {
    expect(occurredAtProblem(at(occurred), now, previous ? at(previous) : null)).toBe(problem);
  });
});

describe('dosed statuses', () => {
  it.each([
    ['scheduled', false, false, 'pre-dose'],
    ['checked_in', false, false, 'pre-dose'],
    ['ready', false, false, 'pre-dose'],
    ['dosing', true, true, 'dosing'],
    ['paused', true, true, 'dosing'],
    ['observation', false, true, 'observation'],
    ['aborted', false, true, 'observation'],
    ['discharged', false, false, 'observation'],
    ['cancelled', false, false, 'pre-dose'],
    ['no_show', false, false, 'pre-dose'],
  ] as [SessionStatus, boolean, boolean, string][])('%s: dosing %s, dosed %s, readings of phase %s', (status, dosing, dosed, phase) => {
    expect(isDosing(status)).toBe(dosing);
    expect(isDosed(status)).toBe(dosed);
    expect(phaseOf(status)).toBe(phase);
  });
});
