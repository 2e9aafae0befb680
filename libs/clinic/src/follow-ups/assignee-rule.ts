import type { Role } from '#platform';

/**
 * Who acts on a follow-up (complete, reschedule, cancel): the role it is assigned to, and an
 * anesthesiologist for a clinical task (one assigned to nurses). A task of the administrators
 * (scheduling, consent withdrawal) is theirs alone; an anesthesiologist's task is never a nurse's.
 */
export function mayActOnFollowUp(role: Role, assignee: Role): boolean {
  if (role === assignee) return true;
  return role === 'anesthesiologist' && assignee === 'nurse';
}
