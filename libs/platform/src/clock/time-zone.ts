/** True for a time zone name the runtime's IANA database knows (e.g. America/New_York). */
export function isValidTimeZone(name: string): boolean {
  if (!name || !/^[A-Za-z_+\-/0-9]+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) at `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Whole years between a birth date and a calendar date, both YYYY-MM-DD. */
export function ageInYears(dateOfBirth: string, onDate: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const parts = (at: Date, timeZone: string) => {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    year: Number(p['year']),
    month: Number(p['month']),
    day: Number(p['day']),
    hour: Number(p['hour']),
    minute: Number(p['minute']),
    second: Number(p['second']),
    weekday: String(p['weekday']).toLowerCase().slice(0, 3),
  };
};

/** Milliseconds the zone is ahead of UTC at `at` (negative west of Greenwich). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const p = parts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant a wall-clock time has in a zone: "2027-03-15 09:00" in America/New_York. A time that
 * does not exist (inside a spring-forward gap) moves forward by the gap, as clocks do.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const day = 24 * 60 * 60 * 1000;
  const before = guess - zoneOffsetMs(new Date(guess - day), timeZone);
  const after = guess - zoneOffsetMs(new Date(guess + day), timeZone);
  const wanted = `${date} ${time}`;
  const shows = (at: number) => {
    const p = localParts(new Date(at), timeZone);
    return `${p.date} ${p.time}` === wanted;
  };
  // The earlier of two matches when clocks fall back; in a spring-forward gap, the offset from before the gap.
  const match = [Math.min(before, after), Math.max(before, after)].find(shows);
  return new Date(match ?? before);
}

/** Local calendar date, weekday (sun…sat) and "HH:MM" of an instant in a zone. */
export function localParts(at: Date, timeZone: string): { date: string; weekday: string; time: string } {
  const p = parts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, weekday: p.weekday, time: `${pad(p.hour)}:${pad(p.minute)}` };
}
