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
    ['scheduled', false, false],
    ['checked_in', false, false],
    ['ready', false, false],
    ['dosing', true, true],
    ['paused', true, true],
    ['observation', false, true],
    ['aborted', false, true],
    ['discharged', false, false],
    ['cancelled', false, false],
    ['no_show', false, false],
  ] as [SessionStatus, boolean, boolean][])('%s: dosing %s, dosed %s', (status, dosing, dosed) => {
    expect(isDosing(status)).toBe(dosing);
    expect(isDosed(status)).toBe(dosed);
  });
});

describe('a reading has the phase of its measurement time, whenever it arrives', () => {
  const at = (hhmm: string) => new Date(`2026-11-29T${hhmm}:00Z`);
  const notStarted = { dosingStartedAt: null, dosingEndedAt: null };
  const dosing = { dosingStartedAt: at('10:00'), dosingEndedAt: null };
  const ended = { dosingStartedAt: at('10:00'), dosingEndedAt: at('10:40') };
  it.each([
    ['not started', notStarted, '09:55', 'pre-dose'],
    ['dosing: before the start', dosing, '09:59', 'pre-dose'],
    ['dosing: at the start', dosing, '10:00', 'dosing'],
    ['dosing: later (or paused)', dosing, '10:30', 'dosing'],
    ['ended: measured during the infusion, posted after', ended, '10:39', 'dosing'],
    ['ended: at the end', ended, '10:40', 'observation'],
    ['ended: after', ended, '11:10', 'observation'],
    ['ended: measured before the start', ended, '09:58', 'pre-dose'],
  ] as const)('%s: measured at %s → %s', (_what, session, measured, phase) => {
    expect(phaseOf(session, at(measured))).toBe(phase);
  });
});
