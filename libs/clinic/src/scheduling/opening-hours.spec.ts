import type { OpeningHours } from '../settings/index.js';
import {
  firstOpenDate,
  freeIntervals,
  isOpenOn,
  nextDate,
  openIntervals,
  startsNearest,
  weekdayOf,
  withinOpeningHours,
} from './opening-hours.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
/** Weekdays 08:00–12:00 and 13:00–18:00, Saturday mornings, closed on Sunday. */
const HOURS: OpeningHours = {
  sun: [],
  mon: [
    ['08:00', '12:00'],
    ['13:00', '18:00'],
  ],
  tue: [
    ['08:00', '12:00'],
    ['13:00', '18:00'],
  ],
  wed: [
    ['08:00', '12:00'],
    ['13:00', '18:00'],
  ],
  thu: [
    ['08:00', '12:00'],
    ['13:00', '18:00'],
  ],
  fri: [
    ['08:00', '12:00'],
    ['13:00', '18:00'],
  ],
  sat: [['09:00', '12:00']],
};
const iso = (s: string) => new Date(s);

describe('opening hours in the clinic time zone', () => {
  it.each([
    ['2027-03-14', NY, 'sun'], // the spring-forward day itself
    ['2027-03-15', NY, 'mon'],
    ['2027-11-07', NY, 'sun'], // the fall-back day
    ['2027-03-28', BERLIN, 'sun'],
    ['2027-03-29', BERLIN, 'mon'],
  ] as const)('%s in %s is a %s', (date, tz, weekday) => {
    expect(weekdayOf(date, tz)).toBe(weekday);
  });

  it.each([
    ['2027-03-13', NY, true],
    ['2027-03-14', NY, false],
    ['2027-03-15', NY, true],
  ] as const)('%s in %s open: %s', (date, tz, open) => {
    expect(isOpenOn(date, HOURS, tz)).toBe(open);
  });

  it.each([
    ['2027-03-13', NY, '2027-03-14'], // Saturday to the 23-hour Sunday
    ['2027-03-14', NY, '2027-03-15'], // the 23-hour day moves exactly one date on
    ['2027-11-07', NY, '2027-11-08'], // the 25-hour day too
    ['2027-12-31', BERLIN, '2028-01-01'],
  ] as const)('the date after %s in %s is %s', (date, tz, next) => {
    expect(nextDate(date, tz)).toBe(next);
  });

  it.each([
    ['a Monday morning stays', '2027-03-15T13:00:00Z', NY, '2027-03-15'],
    ['Sunday (spring forward) moves to Monday', '2027-03-14T16:00:00Z', NY, '2027-03-15'],
    ['late Saturday UTC is still Saturday in New York', '2027-03-14T02:00:00Z', NY, '2027-03-13'],
    ['Sunday (fall back) moves to Monday', '2027-11-07T15:00:00Z', NY, '2027-11-08'],
    ['Berlin Sunday of the change moves to Monday', '2027-03-28T10:00:00Z', BERLIN, '2027-03-29'],
  ] as const)('first open date: %s', (_name, earliest, tz, date) => {
    expect(firstOpenDate(iso(earliest), HOURS, tz)).toBe(date);
  });

  it.each([
    ['no closure: Monday itself', [], '2027-03-15'],
    ['Monday closed: Tuesday', ['2027-03-15'], '2027-03-16'],
    ['Monday and Tuesday closed: Wednesday', ['2027-03-15', '2027-03-16'], '2027-03-17'],
  ])('the first open date skips the clinic’s closures: %s', (_label, closed, date) => {
    expect(firstOpenDate(iso('2027-03-15T13:00:00Z'), HOURS, NY, new Set(closed))).toBe(date);
  });

  it('the first open date gives up after a week when the clinic never opens', () => {
    const closed: OpeningHours = { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] };
    expect(firstOpenDate(iso('2027-03-15T13:00:00Z'), closed, NY)).toBe('2027-03-22');
  });

  it.each([
    [
      'EST, before the change',
      '2027-03-12',
      NY,
      [
        ['2027-03-12T13:00:00.000Z', '2027-03-12T17:00:00.000Z'],
        ['2027-03-12T18:00:00.000Z', '2027-03-12T23:00:00.000Z'],
      ],
    ],
    [
      'EDT, after the change: same local hours, one hour earlier in UTC',
      '2027-03-15',
      NY,
      [
        ['2027-03-15T12:00:00.000Z', '2027-03-15T16:00:00.000Z'],
        ['2027-03-15T17:00:00.000Z', '2027-03-15T22:00:00.000Z'],
      ],
    ],
    ['a closed day', '2027-03-14', NY, []],
    ['Berlin Saturday before its change', '2027-03-27', BERLIN, [['2027-03-27T08:00:00.000Z', '2027-03-27T11:00:00.000Z']]],
  ] as const)('open intervals: %s', (_name, date, tz, expected) => {
    expect(openIntervals(date, HOURS, tz).map(([a, b]) => [a.toISOString(), b.toISOString()])).toEqual(expected);
  });

  it.each([
    ['inside the morning (EDT)', '2027-03-15T12:00:00Z', '2027-03-15T13:25:00Z', NY, true],
    ['ends exactly at closing', '2027-03-15T14:35:00Z', '2027-03-15T16:00:00Z', NY, true],
    ['runs over the lunch break', '2027-03-15T15:00:00Z', '2027-03-15T16:25:00Z', NY, false],
    ['starts before opening', '2027-03-15T11:30:00Z', '2027-03-15T12:55:00Z', NY, false],
    ['08:00 EST is 13:00 UTC: open', '2027-03-12T13:00:00Z', '2027-03-12T14:25:00Z', NY, true],
    ['13:00 UTC is 09:00 EDT: open', '2027-03-15T13:00:00Z', '2027-03-15T14:25:00Z', NY, true],
    ['on a closed day', '2027-03-14T14:00:00Z', '2027-03-14T15:25:00Z', NY, false],
    ['across midnight', '2027-03-16T03:30:00Z', '2027-03-16T05:00:00Z', NY, false],
  ] as const)('within opening hours: %s', (_name, start, end, tz, expected) => {
    expect(withinOpeningHours(iso(start), iso(end), HOURS, tz)).toBe(expected);
  });
});

describe('free time between bookings', () => {
  const open: [Date, Date][] = [
    [iso('2027-03-15T12:00:00Z'), iso('2027-03-15T16:00:00Z')],
    [iso('2027-03-15T17:00:00Z'), iso('2027-03-15T22:00:00Z')],
  ];
  const booking = (from: string, to: string) => ({ startsAt: iso(`2027-03-15T${from}:00Z`), endsAt: iso(`2027-03-15T${to}:00Z`) });
  const at = (t: string) => `2027-03-15T${t}:00.000Z`;

  it.each([
    [
      'nothing booked: every open interval',
      [],
      [
        [at('12:00'), at('16:00')],
        [at('17:00'), at('22:00')],
      ],
    ],
    [
      'one booking splits the morning',
      [booking('13:00', '14:25')],
      [
        [at('12:00'), at('13:00')],
        [at('14:25'), at('16:00')],
        [at('17:00'), at('22:00')],
      ],
    ],
    [
      'a booking from opening',
      [booking('12:00', '13:25')],
      [
        [at('13:25'), at('16:00')],
        [at('17:00'), at('22:00')],
      ],
    ],
    ['back-to-back bookings leave no gap', [booking('12:00', '13:00'), booking('13:00', '16:00')], [[at('17:00'), at('22:00')]]],
    [
      'a booking overlapping the next opening',
      [booking('15:30', '17:30')],
      [
        [at('12:00'), at('15:30')],
        [at('17:30'), at('22:00')],
      ],
    ],
  ] as const)('%s', (_name, booked, expected) => {
    expect(freeIntervals(open, booked).map((f) => [f.from, f.to])).toEqual(expected);
  });
});

describe('start times nearest to the preferred time', () => {
  const SHORT: OpeningHours = { ...HOURS, mon: [['08:00', '09:30']] };
  it.each([
    ['09:00 preferred, 30 min: nearest first, earlier on a tie', '2027-03-15', '09:00', 30, ['09:00', '08:45', '08:30', '08:15', '08:00']],
    ['08:40 preferred: 08:45 before 08:30', '2027-03-15', '08:40', 30, ['08:45', '08:30', '09:00', '08:15', '08:00']],
    ['too long for the opening: none', '2027-03-15', '09:00', 120, []],
    ['a closed day: none', '2027-03-14', '09:00', 30, []],
  ] as const)('%s', (_name, date, preferred, minutes, expected) => {
    const local = startsNearest(date, preferred, minutes, SHORT, NY).map((d) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: NY, hour: '2-digit', minute: '2-digit' }).format(d),
    );
    expect(local).toEqual(expected);
  });
});
