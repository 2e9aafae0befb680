/** What the board shows of times, ages and alerts: pure functions, every time in the clinic's zone. */

export type AlarmLevel = 'none' | 'warning' | 'critical';

/** "14:05:09" in the clinic's zone (24-hour clock). */
export function clockText(at: Date, timeZone: string, seconds = true): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds && { second: '2-digit' }),
    hourCycle: 'h23',
  }).format(at);
}

/** The zone's short name at that time ("PDT", "GMT+2"). */
export function zoneName(at: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "Tue 3 Mar" in the clinic's zone. */
export function dayText(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(at);
}

/** A duration as "12:03" (minutes:seconds) under an hour, "1:12:03" from an hour on; negative durations count as zero. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** The age of a value as a person says it: "now", "40 s", "7 min", "2 h 5 min". */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 10) return 'now';
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const WORDS: Array<[RegExp, string]> = [
  [/systolic BP /g, 'SYS '],
  [/diastolic BP /g, 'DIA '],
  [/heart rate /g, 'HR '],
  [/respiratory rate /g, 'RR '],
  [/ (≥|≤|>|<) /g, '$1'],
];

/** An alert's message as the tile shows it: "BP 186/112: SYS 186≥180; DIA 112≥110". */
export function alertText(message: string): string {
  return WORDS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}

/** The tile's alarm: the worst of its unresolved alerts and of its latest reading's breach. */
export function alarmOf(alerts: Array<{ level: string }>, breachLevel: string): AlarmLevel {
  const levels = [...alerts.map((a) => a.level), breachLevel];
  if (levels.includes('critical')) return 'critical';
  if (levels.includes('warning')) return 'warning';
  return 'none';
}

/** What a session's state is called on the board; observation past its minimum reads "ready for discharge". */
export function phaseText(status: string, eligibleAt: string | null, now: number): string {
  const eligible = eligibleAt !== null && Date.parse(eligibleAt) <= now;
  switch (status) {
    case 'checked_in':
      return 'checked in';
    case 'ready':
      return 'ready to dose';
    case 'dosing':
      return 'dosing';
    case 'paused':
      return 'paused';
    case 'observation':
      return eligible ? 'ready for discharge' : 'observation';
    case 'aborted':
      return eligible ? 'stopped · ready for discharge' : 'stopped · observation';
    default:
      return status.replace(/_/g, ' ');
  }
}

/** A value is stale once older than `staleAfterMin`. */
export const isStale = (measuredAt: string, staleAfterMin: number, now: number): boolean =>
  now - Date.parse(measuredAt) > staleAfterMin * 60_000;

/**
 * The instant a time of day typed on the clinic's clock ("07:30") last was, at or before `now`:
 * earlier today in the clinic's zone, else yesterday (a patient's last meal the evening before).
 */
export function lastAtClock(hhmm: string, now: number, timeZone: string): Date | null {
  const typed = /^(\d\d):(\d\d)$/.exec(hhmm);
  if (!typed) return null;
  const [hour, minute, second] = clockText(new Date(now), timeZone).split(':').map(Number);
  const nowMin = hour * 60 + minute;
  const back = (nowMin - (Number(typed[1]) * 60 + Number(typed[2])) + 1440) % 1440;
  return new Date(now - second * 1000 - (now % 1000) - back * 60_000);
}
