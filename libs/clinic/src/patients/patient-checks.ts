import { ageInYears, type FieldProblem } from '#platform';
import type { ContactPreference } from './patient.entity.js';

/** No record in Vigil predates this; an earlier year is a typing error. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * A birth date (YYYY-MM-DD) on the clinic's `today`: not in the future, not before 1900, and old
 * enough for the youngest age any of the clinic's protocols admits (`minAgeYears`, null: no protocol).
 */
export function birthDateProblems(dateOfBirth: string, today: string, minAgeYears: number | null): FieldProblem[] {
  if (dateOfBirth > today) return [{ field: 'dateOfBirth', message: `must not be in the future (the clinic's today is ${today})` }];
  if (dateOfBirth < EARLIEST_BIRTH_DATE) return [{ field: 'dateOfBirth', message: `must be ${EARLIEST_BIRTH_DATE} or later` }];
  if (minAgeYears !== null && ageInYears(dateOfBirth, today) < minAgeYears)
    return [{ field: 'dateOfBirth', message: `the patient must be at least ${minAgeYears} years old for this clinic's protocols` }];
  return [];
}

/** Reminders go where the patient said: an email preference needs an address, a phone one a number. */
export function contactProblems(p: {
  contactPreference?: ContactPreference;
  email?: string | null;
  phone?: string | null;
}): FieldProblem[] {
  if (p.contactPreference === 'email' && !p.email?.trim())
    return [{ field: 'contactPreference', message: 'email reminders need the patient’s email address' }];
  if (p.contactPreference === 'phone' && !p.phone?.trim())
    return [{ field: 'contactPreference', message: 'phone reminders need the patient’s phone number' }];
  return [];
}
