import type { RuleProblem } from '#platform';
import type { ContainerStatus } from './stock.entity.js';

/** What decides whether a container may be drawn from or wasted from now. */
export interface ContainerState {
  label: string;
  status: ContainerStatus;
  balance: number;
  unit: string;
  /** The container's expiry and the registration's, as local dates (YYYY-MM-DD). */
  expiresOn: string;
  registrationExpiresOn: string;
}

const rule = (code: string, message: string, extra: Record<string, unknown> = {}): RuleProblem => ({
  code,
  message,
  overridable: false,
  ...extra,
});

/**
 * Every reason this container cannot give a dose on the clinic's `today`. Expired stock stays in
 * inventory until destroyed or returned, but is never given; a quarantined container waits for an
 * anesthesiologist; nothing is given under a DEA registration that has lapsed.
 */
export function containerProblems(c: ContainerState, today: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (c.status === 'destroyed' || c.status === 'transferred')
    problems.push(rule('CS_CONTAINER_CLOSED', `${c.label} was ${c.status}: it is no longer in stock`, { status: c.status }));
  if (c.status === 'quarantined')
    problems.push(rule('CS_CONTAINER_QUARANTINED', `${c.label} is quarantined: an anesthesiologist must release it`));
  if (c.status === 'empty' || (c.balance <= 0 && c.status !== 'destroyed' && c.status !== 'transferred'))
    problems.push(rule('CS_CONTAINER_EMPTY', `${c.label} is empty`));
  if (c.expiresOn < today) problems.push(rule('CS_CONTAINER_EXPIRED', `${c.label} expired on ${c.expiresOn}`, { expiresOn: c.expiresOn }));
  if (c.registrationExpiresOn < today)
    problems.push(
      rule('CS_REGISTRATION_EXPIRED', `the DEA registration holding ${c.label} expired on ${c.registrationExpiresOn}`, {
        expiresOn: c.registrationExpiresOn,
      }),
    );
  return problems;
}

/** Taking `quantity` from a container holding `balance`: refused when it would go below zero. */
export function balanceProblem(c: Pick<ContainerState, 'label' | 'balance' | 'unit'>, quantity: number): RuleProblem | null {
  return quantity > c.balance + 1e-9
    ? rule('CS_BALANCE_NEGATIVE', `${c.label} holds ${c.balance} ${c.unit}: ${quantity} ${c.unit} cannot be taken from it`, {
        balance: c.balance,
        requested: quantity,
        unit: c.unit,
      })
    : null;
}

/**
 * Every reason a container cannot be destroyed or handed to a reverse distributor: it is already
 * closed out, holds nothing, or a count found it unlike its balance and that is not yet resolved
 * (the record of what was disposed of must state what was really there).
 */
export function disposalProblems(c: Pick<ContainerState, 'label' | 'status' | 'balance'>, openDiscrepancyId: string | null): RuleProblem[] {
  if (c.status === 'destroyed' || c.status === 'transferred')
    return [rule('CS_CONTAINER_CLOSED', `${c.label} was ${c.status} already`, { status: c.status })];
  const problems: RuleProblem[] = [];
  if (c.balance <= 0) problems.push(rule('CS_CONTAINER_EMPTY', `${c.label} is empty: there is nothing to dispose of`));
  if (openDiscrepancyId)
    problems.push(
      rule('CS_DISCREPANCY_OPEN', `${c.label} has a discrepancy to resolve first: its balance is in question`, {
        discrepancyId: openDiscrepancyId,
      }),
    );
  return problems;
}
