import type { InductionPlan } from '../protocols/index.js';

const addDays = (date: string, days: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};
const weekday = (date: string) => ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${date}T12:00:00Z`).getUTCDay()];
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * The calendar dates of an induction series (clinical-rules.md section 1): each phase puts
 * `perWeek` sessions into each week, spread evenly (3/week: days 0, 2, 4; 2/week: days 0, 3),
 * a closed day (a closed weekday or one of `closed`, the clinic's closures) moves to the next open one, and sessions stay at least `minDaysApart` apart.
 * Pure: the dates are local to the clinic; times are applied by the caller.
 */
export function planSeriesDates(
  plan: InductionPlan,
  startDate: string,
  isOpen: (weekday: string) => boolean,
  closed: ReadonlySet<string> = new Set(),
): string[] {
  const dates: string[] = [];
  let weekStart = startDate;
  for (const phase of plan.phases) {
    const spacing = Math.floor(7 / phase.perWeek);
    let placed = 0;
    while (placed < phase.sessions) {
      for (let k = 0; k < phase.perWeek && placed < phase.sessions; k++) {
        let date = addDays(weekStart, k * spacing);
        const previous = dates[dates.length - 1];
        if (previous && daysBetween(previous, date) < Math.max(1, plan.minDaysApart))
          date = addDays(previous, Math.max(1, plan.minDaysApart));
        for (let guard = 0; guard < 7 + closed.size && (!isOpen(weekday(date)) || closed.has(date)); guard++) date = addDays(date, 1);
        dates.push(date);
        placed++;
      }
      weekStart = addDays(weekStart, 7);
    }
  }
  return dates;
}

/** Days from the first to the last session, both counted (Murrough 2013: 6 infusions over 12 days). */
export function seriesSpanDays(dates: string[]): number {
  return dates.length ? daysBetween(dates[0], dates[dates.length - 1]) + 1 : 0;
}
