import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { requestContext, type Actor } from '../context/request-context.js';
import { decodeCursor, toPage, type Page } from '../database/pagination.js';
import type { Tx } from '../database/transaction.js';
import { AuditEvent, type AuditOutcome } from './audit-event.entity.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  outcome?: AuditOutcome;
  changes?: Record<string, unknown> | null;
  /** Defaults to the acting user's clinic. */
  clinicId?: string | null;
  /** Defaults to the signed-in user of the request. */
  actor?: Actor | null;
}

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
  requestId: string | null;
  ip: string | null;
  changes: Record<string, unknown> | null;
}

const view = (e: AuditEvent): AuditEventView => ({
  id: e.id,
  occurredAt: e.occurredAt.toISOString(),
  actorUserId: e.actorUserId,
  actorRole: e.actorRole,
  action: e.action,
  resourceType: e.resourceType,
  resourceId: e.resourceId,
  outcome: e.outcome,
  requestId: e.requestId,
  ip: e.ip,
  changes: e.changes,
});

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** The clinic's trail, newest first. */
  async list(clinicId: string, f: AuditFilter): Promise<Page<AuditEventView>> {
    const after = decodeCursor(f.cursor);
    const q = this.dataSource.createQueryBuilder(AuditEvent, 'a').where('a.clinic_id = :clinicId', { clinicId });
    if (f.actorUserId) q.andWhere('a.actor_user_id = :actor', { actor: f.actorUserId });
    if (f.resourceType) q.andWhere('a.resource_type = :rt', { rt: f.resourceType });
    if (f.resourceId) q.andWhere('a.resource_id = :rid', { rid: f.resourceId });
    if (f.action) q.andWhere('a.action = :action', { action: f.action });
    if (f.outcome) q.andWhere('a.outcome = :outcome', { outcome: f.outcome });
    if (f.from) q.andWhere('a.occurred_at >= :from', { from: f.from });
    if (f.to) q.andWhere('a.occurred_at < :to', { to: f.to });
    if (after) q.andWhere('(a.occurred_at, a.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await q
      .orderBy('a.occurred_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(f.limit + 1)
      .getMany();
    return toPage(rows, f.limit, (e) => ({ at: e.occurredAt, id: e.id }), view);
  }

  /** Appends one audit row inside `tx`, so it commits or rolls back with the change it records. */
  async record(tx: Tx | EntityManager, entry: AuditEntry): Promise<void> {
    const manager = 'manager' in tx ? tx.manager : tx;
    const ctx = requestContext.current();
    const actor = entry.actor === undefined ? ctx?.actor : entry.actor;
    await manager.insert(AuditEvent, {
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      outcome: entry.outcome ?? 'success',
      changes: entry.changes ? (redact(entry.changes) as Record<string, never>) : null,
      clinicId: entry.clinicId === undefined ? (actor?.clinicId ?? null) : entry.clinicId,
      actorUserId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      requestId: ctx?.requestId ?? null,
      ip: ctx?.ip ?? null,
    });
  }
}
