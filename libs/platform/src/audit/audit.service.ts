import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { requestContext, type Actor, type RequestContext } from '../context/request-context.js';
import { keysetPage } from '../database/find.js';
import type { Page } from '../database/pagination.js';
import type { Tx } from '../database/transaction.js';
import { AuditEvent, type AuditOutcome } from './audit-event.entity.js';
import { RefusalCoalescer, type CoalescedRun } from './refusal-coalescer.js';

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

/**
 * A refused token (access or refresh). Written with outcome `denied` and never with the request's
 * actor. `resourceId`, `clinicId` and `actor` are kept only when `verified`: a token whose
 * signature or secret did not check out has no trusted identity, so what it claims goes in
 * `details.claimed` and the row has no clinic.
 */
export interface RefusalRecord {
  action: string;
  resourceType: string;
  /** snake_case, as the other refusals of the trail: `bad_signature`, `expired`, `reuse`, … */
  reason: string;
  /** The token's signature (access) or secret (refresh) checked out. */
  verified: boolean;
  resourceId?: string | null;
  clinicId?: string | null;
  actor?: Actor | null;
  /** Method, route, claimed identity…: never the token or any part of it. */
  details?: Record<string, unknown>;
}

/** The refused request as the HTTP layer sees it (a Fastify request fits). */
export interface RefusedRequest {
  method: string;
  url: string;
  routeOptions?: { url?: string };
}

/** Method and path of a refused request: the route pattern, so no query string (a patient search) and no caller-chosen text. */
export function requestLine(request?: RefusedRequest): { method?: string; path?: string } {
  if (!request) return {};
  return { method: request.method, path: (request.routeOptions?.url ?? request.url.split('?')[0]).slice(0, 200) };
}

type AuditRow = Omit<AuditEvent, 'id' | 'occurredAt'>;
/** TypeORM's insert types a jsonb column as a deep partial of itself; a plain object is what it stores. */
const insertable = (row: AuditRow) => ({ ...row, changes: row.changes as Record<string, never> | null });

/**
 * Coalescing of refused tokens. A bad token costs its sender nothing, so a flood of them must
 * not become a flood of rows in an append-only table (disk) nor of inserts (pool, latency): per
 * reason, client address and verified user, the first refusal of a minute is written at once and
 * the rest are counted into one summary row (`repeated`, `since`, `until`) when the minute ends.
 * At most 1,000 such windows are open; past that the surplus is counted per reason only. The
 * counts live in this process (bounded; lost only if it crashes, the first row of each window
 * never is); with several API replicas each writes its own summaries.
 */
const REFUSAL_WINDOW_MS = 60_000;
const REFUSAL_MAX_WINDOWS = 1_000;

const summaryOf = ({ first, repeated, since, until, overflow }: CoalescedRun<AuditRow>): AuditRow => ({
  ...first,
  ...(overflow ? { resourceId: null, clinicId: null, actorUserId: null, actorRole: null, ip: null } : {}),
  requestId: null,
  changes: {
    reason: first.changes?.['reason'],
    ...(overflow ? { addresses: 'many' } : { verified: first.changes?.['verified'] }),
    repeated,
    since: since.toISOString(),
    until: until.toISOString(),
  },
});

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
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly refusals = new RefusalCoalescer<AuditRow>(REFUSAL_WINDOW_MS, REFUSAL_MAX_WINDOWS);
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The clinic's trail, newest first. */
  async list(clinicId: string, f: AuditFilter): Promise<Page<AuditEventView>> {
    const q = this.dataSource.createQueryBuilder(AuditEvent, 'a').where('a.clinic_id = :clinicId', { clinicId });
    if (f.actorUserId) q.andWhere('a.actor_user_id = :actor', { actor: f.actorUserId });
    if (f.resourceType) q.andWhere('a.resource_type = :rt', { rt: f.resourceType });
    if (f.resourceId) q.andWhere('a.resource_id = :rid', { rid: f.resourceId });
    if (f.action) q.andWhere('a.action = :action', { action: f.action });
    if (f.outcome) q.andWhere('a.outcome = :outcome', { outcome: f.outcome });
    if (f.from) q.andWhere('a.occurred_at >= :from', { from: f.from });
    if (f.to) q.andWhere('a.occurred_at < :to', { to: f.to });
    return keysetPage(q, {
      sortColumn: 'a.occurred_at',
      idColumn: 'a.id',
      order: 'DESC',
      cursor: f.cursor,
      limit: f.limit,
      key: (e) => ({ at: e.occurredAt, id: e.id }),
      view,
    });
  }

  /** Appends one audit row inside `tx`, so it commits or rolls back with the change it records. */
  async record(tx: Tx | EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(tx, [{ ...entry, context: requestContext.current() }]);
  }

  /**
   * Several rows in one INSERT, each with the request it belongs to (`context`): the readings of
   * many requests stored in one transaction still leave one row per request, with its request id.
   */
  async recordMany(tx: Tx | EntityManager, entries: Array<AuditEntry & { context: RequestContext | undefined }>): Promise<void> {
    if (entries.length === 0) return;
    const manager = 'manager' in tx ? tx.manager : tx;
    await manager.insert(
      AuditEvent,
      entries.map(({ context: ctx, ...entry }) => {
        const actor = entry.actor === undefined ? ctx?.actor : entry.actor;
        return {
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
        };
      }),
    );
  }

  /**
   * Records a refused token on its own, outside any business transaction: at most one cheap INSERT
   * (its row, and the summaries of windows it closes), none while its window is counting (see
   * REFUSAL_WINDOW_MS). Never throws: a row that cannot be written is logged and the caller still
   * answers 401.
   */
  async recordRefusal(refusal: RefusalRecord): Promise<void> {
    const row = this.refusalRow(refusal);
    const subject = refusal.verified ? (row.resourceId ?? '-') : '-';
    const { write, ended } = this.refusals.admit(`${row.action} ${refusal.reason}`, `${row.ip ?? '-'} ${subject}`, this.clock.now(), row);
    await this.insertQuietly([...ended.map(summaryOf), ...(write ? [row] : [])]);
    if (this.refusals.owing > 0 && !this.flushTimer) {
      this.flushTimer = setInterval(() => void this.flushRefusals(), REFUSAL_WINDOW_MS).unref();
    }
  }

  /**
   * Records a refusal that changed something (a login's tokens revoked) inside `tx`, as every
   * change is audited, but under a savepoint: a row that cannot be written is logged, and the
   * revocation still commits and the caller still answers 401.
   */
  async recordRefusalIn(tx: Tx, refusal: RefusalRecord): Promise<void> {
    await tx.manager.query('SAVEPOINT refusal_audit');
    try {
      await tx.manager.insert(AuditEvent, insertable(this.refusalRow(refusal)));
      await tx.manager.query('RELEASE SAVEPOINT refusal_audit');
    } catch (err) {
      await tx.manager.query('ROLLBACK TO SAVEPOINT refusal_audit');
      this.logger.error(`audit row of a refused token (${refusal.reason}) not written: ${(err as Error).message}`);
    }
  }

  /** Writes the summary row of every coalesced window that has ended; of every open one with `all`. */
  async flushRefusals(all = false): Promise<void> {
    await this.insertQuietly(this.refusals.drain(all ? undefined : this.clock.now()).map(summaryOf));
    if (this.refusals.owing === 0 && this.flushTimer) {
      clearInterval(this.flushTimer);
      this.flushTimer = undefined;
    }
  }

  /** The counts of open windows are written before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushRefusals(true);
  }

  private refusalRow(r: RefusalRecord): AuditRow {
    const ctx = requestContext.current();
    const actor = r.verified ? (r.actor ?? null) : null;
    return {
      action: r.action,
      resourceType: r.resourceType,
      resourceId: r.verified ? (r.resourceId ?? null) : null,
      outcome: 'denied',
      changes: redact({ reason: r.reason, verified: r.verified, ...r.details }) as Record<string, unknown>,
      clinicId: r.verified ? (r.clinicId ?? null) : null,
      actorUserId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      requestId: ctx?.requestId ?? null,
      ip: ctx?.ip ?? null,
    };
  }

  private async insertQuietly(rows: AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.dataSource.manager.insert(AuditEvent, rows.map(insertable));
    } catch (err) {
      this.logger.error(`${rows.length} audit row(s) of refused tokens not written: ${(err as Error).message}`);
    }
  }
}
