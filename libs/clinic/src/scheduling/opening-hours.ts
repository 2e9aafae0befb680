import { localParts, zonedTimeToUtc } from '#platform';
import type { OpeningHours, Weekday } from '../settings/index.js';

/**
 * Opening hours and free time, as pure arithmetic on the clinic's calendar. Dates are the clinic's
 * local dates (YYYY-MM-DD) and times its wall-clock times ("HH:MM"); instants are converted with
 * the clinic's time zone, so a day with a daylight-saving change keeps its local hours.
 */

export const DAY_MS = 24 * 60 * 60_000;
const MINUTE_MS = 60_000;

/** The weekday of a local date (read at noon, which every day has, even one with a clock change). */
export function weekdayOf(date: string, timeZone: string): Weekday {
  return localParts(zonedTimeToUtc(date, '12:00', timeZone), timeZone).weekday as Weekday;
}

/** The opening intervals ("HH:MM" pairs) of a local date; none when the clinic is closed. */
export function openingOf(date: string, hours: OpeningHours, timeZone: string): [string, string][] {
  return hours[weekdayOf(date, timeZone)] ?? [];
}

export function isOpenOn(date: string, hours: OpeningHours, timeZone: string): boolean {
  return openingOf(date, hours, timeZone).length > 0;
}

/** The local date after `date` (via noon, so a 23- or 25-hour day moves exactly one date on). */
export function nextDate(date: string, timeZone: string): string {
  return localParts(new Date(zonedTimeToUtc(date, '12:00', timeZone).getTime() + DAY_MS), timeZone).date;
}

/** The first open local date from `earliest` (its own date counted), skipping the clinic's `closed` days, looking at most a week (and one day per closure) ahead. */
export function firstOpenDate(earliest: Date, hours: OpeningHours, timeZone: string, closed: ReadonlySet<string> = new Set()): string {
  let date = localParts(earliest, timeZone).date;
  for (let i = 0; i < 7 + closed.size && (!isOpenOn(date, hours, timeZone) || closed.has(date)); i++) date = nextDate(date, timeZone);
  return date;
}

/** The opening intervals of a local date as instants. */
export function openIntervals(date: string, hours: OpeningHours, timeZone: string): [Date, Date][] {
  return openingOf(date, hours, timeZone).map(([o, c]) => [zonedTimeToUtc(date, o, timeZone), zonedTimeToUtc(date, c, timeZone)]);
}

/** Whether [start, end) in the clinic's zone falls inside one opening interval of its weekday. */
export function withinOpeningHours(start: Date, end: Date, hours: OpeningHours, timeZone: string): boolean {
  const s = localParts(start, timeZone);
  const e = localParts(new Date(end.getTime() - 1), timeZone);
  if (s.date !== e.date) return false;
  return (hours[s.weekday as Weekday] ?? []).some(
    ([open, close]) => s.time >= open && localParts(end, timeZone).time <= close && e.time < close,
  );
}

/** The gaps the booked ranges leave in the open intervals (bookings sorted by start). */
export function freeIntervals(
  open: readonly (readonly [Date, Date])[],
  booked: readonly { startsAt: Date; endsAt: Date }[],
): { from: string; to: string }[] {
  const free: { from: string; to: string }[] = [];
  for (const [start, end] of open) {
    let cursor = start.getTime();
    for (const a of booked.filter((x) => x.endsAt > start && x.startsAt < end)) {
      if (a.startsAt.getTime() > cursor) free.push({ from: new Date(cursor).toISOString(), to: a.startsAt.toISOString() });
      cursor = Math.max(cursor, a.endsAt.getTime());
    }
    if (cursor < end.getTime()) free.push({ from: new Date(cursor).toISOString(), to: end.toISOString() });
  }
  return free;
}

/**
 * Every start time of a local date, in `stepMin` steps from each opening, at which `minutes` fit
 * before the closing, nearest to the `preferred` local time first (earlier first on a tie).
 */
export function startsNearest(
  date: string,
  preferred: string,
  minutes: number,
  hours: OpeningHours,
  timeZone: string,
  stepMin = 15,
): Date[] {
  const want = zonedTimeToUtc(date, preferred, timeZone).getTime();
  const starts: Date[] = [];
  for (const [open, close] of openIntervals(date, hours, timeZone)) {
    for (let t = open.getTime(); t + minutes * MINUTE_MS <= close.getTime(); t += stepMin * MINUTE_MS) starts.push(new Date(t));
  }
  return starts.sort((a, b) => Math.abs(a.getTime() - want) - Math.abs(b.getTime() - want));
}
