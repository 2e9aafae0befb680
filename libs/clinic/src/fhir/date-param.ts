import { zonedTimeToUtc } from '#platform';
import { invalid } from './search-params.js';

/*
 * FHIR date search: a prefix (eq, ge, gt, le, lt) and a date or dateTime whose precision makes it a
 * range (2026-11-29 is that whole day). A value without an offset is in the clinic's time zone. A
 * `+` sent raw arrives as a space (`T14:30:00 05:00`), and is read as the `+` it was.
 */

export type DatePrefix = 'eq' | 'ge' | 'gt' | 'le' | 'lt';
/** Instants the value must be `>=` (from) and `<` (to) to match; either may be open. */
export interface DateBound {
  from?: Date;
  to?: Date;
}

const VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The range [start, end) the value stands for. */
function rangeOf(name: string, text: string, timeZone: string): { start: Date; end: Date } {
  const m = VALUE.exec(text);
  if (!m) throw invalid(name, 'a date (YYYY, YYYY-MM, YYYY-MM-DD) or a dateTime with hours and minutes');
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const date = `${y}-${mo ?? '01'}-${d ?? '01'}`;
  const check = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) throw invalid(name, `${date} is not a calendar date`);
  if (h === undefined) {
    const start = zonedTimeToUtc(date, '00:00', timeZone);
    const next = new Date(check);
    if (!mo) next.setUTCFullYear(next.getUTCFullYear() + 1);
    else if (!d) next.setUTCMonth(next.getUTCMonth() + 1);
    else next.setUTCDate(next.getUTCDate() + 1);
    return { start, end: zonedTimeToUtc(next.toISOString().slice(0, 10), '00:00', timeZone) };
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) throw invalid(name, 'not a time of day');
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const local = zone ? new Date(`${date}T${h}:${mi}:${s ?? '00'}.${String(ms).padStart(3, '0')}${zone}`) : null;
  const start = local ?? new Date(zonedTimeToUtc(date, `${h}:${mi}`, timeZone).getTime() + Number(s ?? 0) * 1000 + ms);
  const step = frac ? 1 : s !== undefined ? 1000 : 60_000;
  return { start, end: new Date(start.getTime() + step) };
}

/** One `date=` value as bounds on the instant. */
export function parseDateParam(name: string, raw: string, timeZone: string): DateBound {
  const m = /^(eq|ge|gt|le|lt|ne|sa|eb|ap)?(.*)$/.exec(raw.replace(/ (\d{2}:\d{2})$/, '+$1'));
  const prefix = (m?.[1] ?? 'eq') as DatePrefix | 'ne' | 'sa' | 'eb' | 'ap';
  if (prefix === 'ne' || prefix === 'sa' || prefix === 'eb' || prefix === 'ap')
    throw invalid(name, `prefix ${prefix} is not supported (eq, ge, gt, le, lt)`);
  const { start, end } = rangeOf(name, m?.[2] ?? '', timeZone);
  switch (prefix) {
    case 'eq':
      return { from: start, to: end };
    case 'ge':
      return { from: start };
    case 'gt':
      return { from: end };
    case 'le':
      return { to: end };
    case 'lt':
      return { to: start };
  }
}

/** Several `date=` values ANDed: the tightest bounds. */
export function dateBounds(name: string, raws: string[], timeZone: string): DateBound {
  const bound: DateBound = {};
  for (const b of raws.map((r) => parseDateParam(name, r, timeZone))) {
    if (b.from && (!bound.from || b.from > bound.from)) bound.from = b.from;
    if (b.to && (!bound.to || b.to < bound.to)) bound.to = b.to;
  }
  return bound;
}
