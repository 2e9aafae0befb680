import { ageText, alarmOf, alertText, clockText, duration, isStale, lastAtClock, phaseText, zoneName } from './format.js';

describe('what the board shows', () => {
  it.each([
    ['BP 186/112: systolic BP 186 ≥ 180; diastolic BP 112 ≥ 110', 'BP 186/112: SYS 186≥180; DIA 112≥110'],
    ['heart rate 134 > 130', 'HR 134>130'],
    ['SpO2 85 < 90', 'SpO2 85<90'],
    ['respiratory rate 7 < 8', 'RR 7<8'],
    ['No vitals since 2026-03-03T09:00:00.000Z', 'No vitals since 2026-03-03T09:00:00.000Z'],
  ])('alert "%s" reads "%s"', (message, text) => {
    expect(alertText(message)).toBe(text);
  });

  it.each([
    [0, '0:00'],
    [59_999, '0:59'],
    [723_000, '12:03'],
    [3_600_000, '1:00:00'],
    [4_323_000, '1:12:03'],
    [-5_000, '0:00'],
  ])('a duration of %i ms reads %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it.each([
    [5_000, 'now'],
    [40_000, '40 s'],
    [7 * 60_000 + 30_000, '7 min'],
    [125 * 60_000, '2 h 5 min'],
  ])('a value %i ms old is "%s" old', (ms, text) => {
    expect(ageText(ms)).toBe(text);
  });

  it.each([
    [[], 'none', 'none'],
    [[], 'warning', 'warning'],
    [[{ level: 'warning' }], 'none', 'warning'],
    [[{ level: 'warning' }, { level: 'critical' }], 'none', 'critical'],
    [[], 'critical', 'critical'],
  ])('alerts %j with a latest reading at %s make the tile %s', (alerts, breach, level) => {
    expect(alarmOf(alerts, breach)).toBe(level);
  });

  const now = Date.parse('2026-03-03T17:00:00Z');
  it.each([
    ['checked_in', null, 'checked in'],
    ['dosing', null, 'dosing'],
    ['observation', '2026-03-03T17:10:00Z', 'observation'],
    ['observation', '2026-03-03T16:59:00Z', 'ready for discharge'],
    ['aborted', '2026-03-03T17:10:00Z', 'stopped · observation'],
  ])('%s, eligible at %s, reads "%s"', (status, eligibleAt, text) => {
    expect(phaseText(status, eligibleAt, now)).toBe(text);
  });

  it('is stale past the protocol’s age, not before', () => {
    expect(isStale('2026-03-03T16:45:00Z', 15, now)).toBe(false);
    expect(isStale('2026-03-03T16:44:59Z', 15, now)).toBe(true);
  });

  it('tells the time in the clinic’s zone whatever the machine’s', () => {
    const at = new Date('2026-07-01T16:05:09Z');
    expect(clockText(at, 'America/Los_Angeles')).toBe('09:05:09');
    expect(clockText(at, 'Europe/Paris', false)).toBe('18:05');
    expect(zoneName(at, 'America/Los_Angeles')).toBe('PDT');
  });

  it.each([
    ['07:30', '2026-03-03T13:45:20.500Z', '2026-03-03T13:30:00.000Z'],
    ['22:10', '2026-03-03T13:45:20.500Z', '2026-03-03T04:10:00.000Z'],
    ['07:45', '2026-03-03T13:45:20.500Z', '2026-03-03T13:45:00.000Z'],
  ])('%s typed on a Chicago clock at %s was %s', (typed, now, at) => {
    expect(lastAtClock(typed, Date.parse(now), 'America/Chicago')?.toISOString()).toBe(at);
  });

  it('reads no time from an empty field', () => {
    expect(lastAtClock('', Date.now(), 'UTC')).toBeNull();
  });
});
