import { addMonths, inventoryMilestones, registrationMilestones } from './reminders.js';

describe('ledger reminders: the clinic’s calendar', () => {
  it.each([
    ['2026-03-10', 23, '2028-02-10'],
    ['2026-03-10', 24, '2028-03-10'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', 23, '2028-02-29'],
    ['2028-02-29', 24, '2030-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
  ])('%s + %i months is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    // An inventory taken on 10 March 2026 in New York: reminded at the start of 10 February 2028 (EST),
    // overdue once 10 March 2028 has ended (EST; daylight saving starts on 12 March 2028).
    ['2026-03-10', 'America/New_York', '2028-02-10T05:00:00.000Z', '2028-03-11T05:00:00.000Z', '2028-03-10'],
    // Taken in summer: both fall in daylight-saving time.
    ['2026-07-20', 'America/New_York', '2028-06-20T04:00:00.000Z', '2028-07-21T04:00:00.000Z', '2028-07-20'],
    ['2026-03-10', 'America/Los_Angeles', '2028-02-10T08:00:00.000Z', '2028-03-11T08:00:00.000Z', '2028-03-10'],
  ])('biennial inventory after one on %s (%s): reminded %s, overdue %s, due by %s', (taken, zone, reminder, overdue, dueOn) => {
    expect(inventoryMilestones(taken, zone)).toEqual([
      { kind: 'inventory-due', dueOn, dueAt: new Date(reminder) },
      { kind: 'inventory-overdue', dueOn, dueAt: new Date(overdue) },
    ]);
  });

  it.each([
    // Valid through 31 May 2027: reminded 60 days before (1 April, EDT), lapsed from the start of 1 June.
    ['2027-05-31', 'America/New_York', '2027-04-01T04:00:00.000Z', '2027-06-01T04:00:00.000Z'],
    // Across the change to daylight saving time (14 March 2027): the reminder on 11 January is in EST.
    ['2027-03-12', 'America/New_York', '2027-01-11T05:00:00.000Z', '2027-03-13T05:00:00.000Z'],
  ])('a registration valid through %s (%s): renewal reminder %s, lapse %s', (expiresOn, zone, renewal, lapsed) => {
    expect(registrationMilestones(expiresOn, zone)).toEqual([
      { kind: 'registration-renewal', dueOn: expiresOn, dueAt: new Date(renewal) },
      { kind: 'registration-lapsed', dueOn: expiresOn, dueAt: new Date(lapsed) },
    ]);
  });
});
