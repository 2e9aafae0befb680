import { localParts, zonedTimeToUtc } from '#platform';

/**
 * The two clocks a theft or significant loss starts (21 CFR 1301.76(b); 88 FR 40707): written notice
 * to the DEA Field Division Office within one business day of discovery, then DEA Form 106 within 45
 * days. Vigil's reading, computed in the clinic's time zone:
 * - the notice is due by the **end of the next business day** after the day of discovery (midnight
 *   local time ending it); business days are Monday to Friday except the clinic's DEA holiday list;
 * - Form 106 is due by the end of the 45th calendar day after the day of discovery.
 * "End of day" (not the same clock time) is the reading that never makes a deadline earlier than the
 * regulation's; the earlier reminders leave room to act well before it.
 */
export interface LossDeadlines {
  noticeDueOn: string;
  noticeDueAt: Date;
  form106DueOn: string;
  form106DueAt: Date;
}

/** Reminders at these fractions of each window, then an overdue alert at its end (CLINIC). */
export const REMINDER_FRACTIONS = [0.5, 0.9] as const;

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The first business day after `date`: not Saturday or Sunday, not on the holiday list. */
export function nextBusinessDay(date: string, holidays: ReadonlySet<string>): string {
  let d = addDays(date, 1);
  while (weekday(d) === 0 || weekday(d) === 6 || holidays.has(d)) d = addDays(d, 1);
  return d;
}

/** The end of a local day: midnight starting the next, in the zone. */
const endOf = (date: string, timeZone: string): Date => zonedTimeToUtc(addDays(date, 1), '00:00', timeZone);

export function lossDeadlines(discoveredAt: Date, timeZone: string, holidays: ReadonlySet<string>): LossDeadlines {
  const day = localParts(discoveredAt, timeZone).date;
  const noticeDueOn = nextBusinessDay(day, holidays);
  const form106DueOn = addDays(day, 45);
  return { noticeDueOn, noticeDueAt: endOf(noticeDueOn, timeZone), form106DueOn, form106DueAt: endOf(form106DueOn, timeZone) };
}

export type LossClock = 'notice' | 'form-106';
export type Milestone = { clock: LossClock; kind: 'reminder-50' | 'reminder-90' | 'overdue'; dueAt: Date };

/** When each clock reminds (half-way, nine-tenths of the way) and when it is overdue. */
export function lossMilestones(discoveredAt: Date, d: Pick<LossDeadlines, 'noticeDueAt' | 'form106DueAt'>): Milestone[] {
  const from = discoveredAt.getTime();
  const clock = (c: LossClock, due: Date): Milestone[] => [
    ...REMINDER_FRACTIONS.map((f): Milestone => ({
      clock: c,
      kind: f === 0.5 ? 'reminder-50' : 'reminder-90',
      dueAt: new Date(from + Math.round((due.getTime() - from) * f)),
    })),
    { clock: c, kind: 'overdue', dueAt: due },
  ];
  return [...clock('notice', d.noticeDueAt), ...clock('form-106', d.form106DueAt)];
}
