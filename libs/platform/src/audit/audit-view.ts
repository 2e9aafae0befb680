import type { AuditEvent, AuditOutcome } from './audit-event.entity.js';

const SECRET_KEY = /pass|token|secret|hash/i;

/** Drops values whose key names a secret, at any depth, so the trail never holds one. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

export interface AuditFilter {
  actorUserId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  outcome: AuditOutcome;
  /** Vigil's own id of the request. */
  requestId: string | null;
  /** The X-Request-Id the caller sent: its claim, not Vigil's id. */
  claimedRequestId: string | null;
  ip: string | null;
  changes: Record<string, unknown> | null;
}

export const auditView = (e: AuditEvent): AuditEventView => ({
  id: e.id,
  occurredAt: e.occurredAt.toISOString(),
  actorUserId: e.actorUserId,
  actorRole: e.actorRole,
  action: e.action,
  resourceType: e.resourceType,
  resourceId: e.resourceId,
  outcome: e.outcome,
  requestId: e.requestId,
  claimedRequestId: e.claimedRequestId,
  ip: e.ip,
  changes: e.changes,
});
