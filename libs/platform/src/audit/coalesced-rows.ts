import type { AuditEvent } from './audit-event.entity.js';
import type { CoalescedRun } from './refusal-coalescer.js';

export type AuditRow = Omit<AuditEvent, 'id' | 'occurredAt'>;

/** TypeORM's insert types a jsonb column as a deep partial of itself; a plain object is what it stores. */
export const insertable = (row: AuditRow) => ({ ...row, changes: row.changes as Record<string, never> | null });

/**
 * Coalescing. A refusal (or a read polled every few seconds) costs its sender nothing, so a flood
 * of them must not become a flood of rows in an append-only table (disk) nor of inserts (pool,
 * latency): per key (what, who, from where), the first row of a minute is written at once and the
 * rest are counted into one summary row (`repeated`, `since`, `until`) when the minute ends. At
 * most 1,000 such windows are open; past that the surplus is counted per group only. The counts
 * live in this process (bounded; lost only if it crashes, the first row of each window never is);
 * with several API replicas each writes its own summaries.
 */
export const COALESCE_WINDOW_MS = 60_000;
export const COALESCE_MAX_WINDOWS = 1_000;

const anonymous = { resourceId: null, clinicId: null, actorUserId: null, actorRole: null, ip: null };

/** The summary of refused tokens: their reason and whether they were verified (not their routes). */
export const tokenSummary = ({ first, repeated, since, until, overflow }: CoalescedRun<AuditRow>): AuditRow => ({
  ...first,
  ...(overflow ? anonymous : {}),
  requestId: null,
  claimedRequestId: null,
  changes: {
    reason: first.changes?.['reason'],
    ...(overflow ? { addresses: 'many' } : { verified: first.changes?.['verified'] }),
    repeated,
    since: since.toISOString(),
    until: until.toISOString(),
  },
});

/** The summary of other coalesced rows (refused requests, refused sign-ins, reads): the first row's details and the count. */
export const runSummary = ({ first, repeated, since, until, overflow }: CoalescedRun<AuditRow>): AuditRow => ({
  ...first,
  ...(overflow ? anonymous : {}),
  requestId: null,
  claimedRequestId: null,
  changes: {
    ...(overflow ? { reason: first.changes?.['reason'], addresses: 'many' } : (first.changes ?? {})),
    repeated,
    since: since.toISOString(),
    until: until.toISOString(),
  },
});
