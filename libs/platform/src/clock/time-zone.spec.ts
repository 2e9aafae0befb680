import { localParts, zonedTimeToUtc } from './time-zone.js';

describe('wall-clock times in a clinic time zone', () => {
  it.each([
    ['2027-03-12', '09:00', 'America/New_York', '2027-03-12T14:00:00.000Z'], // EST, UTC-5
    ['2027-03-15', '09:00', 'America/New_York', '2027-03-15T13:00:00.000Z'], // EDT after the 14 March change, UTC-4
    ['2027-11-08', '09:00', 'America/New_York', '2027-11-08T14:00:00.000Z'], // back to EST after 7 November
    ['2027-03-14', '02:30', 'America/New_York', '2027-03-14T07:30:00.000Z'], // inside the gap: moves on to 03:30 EDT
    ['2027-06-01', '09:00', 'UTC', '2027-06-01T09:00:00.000Z'],
    ['2027-03-28', '09:00', 'Europe/Berlin', '2027-03-28T07:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, tz, iso) => {
    expect(zonedTimeToUtc(date, time, tz).toISOString()).toBe(iso);
  });

  it('reads an instant back as local date, weekday and time', () => {
    expect(localParts(new Date('2027-03-15T13:00:00Z'), 'America/New_York')).toEqual({ date: '2027-03-15', weekday: 'mon', time: '09:00' });
  });
});
