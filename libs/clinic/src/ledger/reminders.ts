import { zonedTimeToUtc } from '#platform';
import { addDays } from './loss-deadlines.js';
import type { ReminderKind } from './vocabulary.js';

/**
 * When the ledger reminds the clinic of a duty with a date, on the clinic's calendar (its time zone):
 * - the **biennial inventory** is due within two years of the last initial or biennial one (21 CFR
 *   1304.11(c)): reminded at the start of the day 23 months after it, overdue once the day two years
 *   after it has ended;
 * - the **DEA registration** is valid through its expiry date: reminded RENEWAL_LEAD_DAYS before it,
 *   and told at the start of the first day it has lapsed.
 */
export interface Milestone {
  kind: ReminderKind;
  /** The day the duty falls due. */
  dueOn: string;
  /** When the reminder fires. */
  dueAt: Date;
}

/**
 * How long before its expiry a registration is reminded (CLINIC: 60). The DEA mails its one renewal
 * notice about 65 days before a registration expires (21 CFR 1301.13(e)(3)); Vigil's reminder follows
 * a few days later, so a notice lost in the post is caught with two months left. The renewal must be
 * filed before the expiry: one filed in time lets the registrant keep working until the DEA acts on
 * it, while nothing may be handled under a registration that has expired.
 */
export const RENEWAL_LEAD_DAYS = 60;

/** The biennial inventory: reminded at 23 months, overdue after 24. */
export const INVENTORY_REMINDER_MONTHS = 23;
export const INVENTORY_DUE_MONTHS = 24;

/** `date` plus whole months; a day the month lacks becomes its last day (31 January + 1 month: 28 or 29 February). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const startOf = (date: string, timeZone: string): Date => zonedTimeToUtc(date, '00:00', timeZone);

export function inventoryMilestones(lastTakenOn: string, timeZone: string): Milestone[] {
  const dueOn = addMonths(lastTakenOn, INVENTORY_DUE_MONTHS);
  return [
    { kind: 'inventory-due', dueOn, dueAt: startOf(addMonths(lastTakenOn, INVENTORY_REMINDER_MONTHS), timeZone) },
    { kind: 'inventory-overdue', dueOn, dueAt: startOf(addDays(dueOn, 1), timeZone) },
  ];
}

export function registrationMilestones(expiresOn: string, timeZone: string): Milestone[] {
  return [
    { kind: 'registration-renewal', dueOn: expiresOn, dueAt: startOf(addDays(expiresOn, -RENEWAL_LEAD_DAYS), timeZone) },
    { kind: 'registration-lapsed', dueOn: expiresOn, dueAt: startOf(addDays(expiresOn, 1), timeZone) },
  ];
}
