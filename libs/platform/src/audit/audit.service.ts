import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { requestContext, type Actor, type RequestContext } from '../context/request-context.js';
import { keysetPage } from '../database/find.js';
import type { Page } from '../database/pagination.js';
import type { Tx } from '../database/transaction.js';
import { AuditEvent, type AuditOutcome } from './audit-event.entity.js';
import { auditView, redact, type AuditEventView, type AuditFilter } from './audit-view.js';
import { COALESCE_MAX_WINDOWS, COALESCE_WINDOW_MS, insertable, runSummary, tokenSummary, type AuditRow } from './coalesced-rows.js';
import { RefusalCoalescer } from './refusal-coalescer.js';

export { redact, type AuditEventView, type AuditFilter } from './audit-view.js';

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

/** An answer of 403, 404, 409 or 422 to a signed-in user, as the HTTP layer saw it. */
export interface RequestRefusal {
  status: number;
  code: string;
  method: string;
  /** The route pattern (`/api/v1/alerts/:id/acknowledge`), never the query string. */
  route: string;
  resourceType: string;
  resourceId: string | null;
  actor: Actor;
}

/** Method and path of a refused request: the route pattern, so no query string (a patient search) and no caller-chosen text. */
export function requestLine(request?: RefusedRequest): { method?: string; path?: string } {
  if (!request) return {};
  return { method: request.method, path: (request.routeOptions?.url ?? request.url.split('?')[0]).slice(0, 200) };
}

/**
 * Refused sign-ins that are coalesced per address, email and minute: those held back by the rate
 * limit (`rate_limited`) or a back-off (`backoff`), which a flood repeats identically. Wrong
 * passwords and unknown emails stay one row each: they are the attempts the limit lets through.
 */
const COALESCED_LOGIN_REASONS = new Set(['rate_limited', 'backoff']);

@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  /** Refused tokens (summaries keep their reason and verification only). */
  private readonly tokens = new RefusalCoalescer<AuditRow>(COALESCE_WINDOW_MS, COALESCE_MAX_WINDOWS);
  /** Refused requests, refused sign-ins and repeated reads. */
  private readonly runs = new RefusalCoalescer<AuditRow>(COALESCE_WINDOW_MS, COALESCE_MAX_WINDOWS);
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
      view: auditView,
    });
  }

  /**
   * Appends one audit row inside `tx`, so it commits or rolls back with the change it records.
   * A sign-in refused for the rate limit is coalesced per address, email and minute (the first
   * row is written in `tx`, the repeats counted into a summary row).
   */
  async record(tx: Tx | EntityManager, entry: AuditEntry): Promise<void> {
    const context = requestContext.current();
    const reason = entry.changes?.['reason'];
    if (entry.action === 'auth.login' && typeof reason === 'string' && COALESCED_LOGIN_REASONS.has(reason)) {
      const row = this.rowOf(entry, context);
      const email = entry.changes?.['email'];
      const who = typeof email === 'string' ? email : (row.resourceId ?? '-');
      if (!(await this.coalesce(`${row.action} ${reason}`, `${row.ip ?? '-'} ${who}`, row))) return;
    }
    await this.recordMany(tx, [{ ...entry, context }]);
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
      entries.map(({ context, ...entry }) => insertable(this.rowOf(entry, context))),
    );
  }

  /**
   * A read of clinical data, recorded on its own after the read succeeded (the controller's
   * `@AuditRead`). The same read (action, reader, resource, filters) repeated within a minute is
   * coalesced. Throws when the row cannot be written: a read that cannot be audited is not answered.
   */
  async recordRead(entry: AuditEntry, opts: { coalesce?: boolean } = {}): Promise<void> {
    const row = this.rowOf(entry, requestContext.current());
    if (opts.coalesce === false) {
      await this.dataSource.manager.insert(AuditEvent, insertable(row));
      return;
    }
    const detail = `${row.actorUserId ?? '-'} ${row.resourceId ?? '-'} ${JSON.stringify(row.changes)}`;
    const { write, ended } = this.runs.admit(row.action, detail, this.clock.now(), row);
    await this.dataSource.manager.insert(AuditEvent, [...ended.map(runSummary), ...(write ? [row] : [])].map(insertable));
    this.armFlush();
  }

  /**
   * A request refused with 403, 404, 409 or 422, recorded after its transaction rolled back, on its
   * own and coalesced (per code, route, user and address). Never throws: the caller still gets its answer.
   */
  async recordRequestRefusal(r: RequestRefusal): Promise<void> {
    const row = this.rowOf(
      {
        action: 'http.refused',
        resourceType: r.resourceType,
        resourceId: r.resourceId,
        outcome: r.status === 403 || r.status === 404 ? 'denied' : 'failure',
        actor: r.actor,
        clinicId: r.actor.clinicId,
        changes: { status: r.status, code: r.code, method: r.method, route: r.route },
      },
      requestContext.current(),
    );
    await this.coalesce(
      `http.refused ${r.code} ${r.method} ${r.route}`,
      `${row.ip ?? '-'} ${r.actor.userId} ${r.resourceId ?? '-'}`,
      row,
      true,
    );
  }

  /**
   * Records a refused token on its own, outside any business transaction: at most one cheap INSERT
   * (its row, and the summaries of windows it closes), none while its window is counting. Never
   * throws: a row that cannot be written is logged and the caller still answers 401.
   */
  async recordRefusal(refusal: RefusalRecord): Promise<void> {
    const row = this.refusalRow(refusal);
    const subject = refusal.verified ? (row.resourceId ?? '-') : '-';
    const { write, ended } = this.tokens.admit(`${row.action} ${refusal.reason}`, `${row.ip ?? '-'} ${subject}`, this.clock.now(), row);
    await this.insertQuietly([...ended.map(tokenSummary), ...(write ? [row] : [])]);
    this.armFlush();
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
    const now = all ? undefined : this.clock.now();
    await this.insertQuietly([...this.tokens.drain(now).map(tokenSummary), ...this.runs.drain(now).map(runSummary)]);
    if (this.tokens.owing + this.runs.owing === 0 && this.flushTimer) {
      clearInterval(this.flushTimer);
      this.flushTimer = undefined;
    }
  }

  /** The counts of open windows are written before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushRefusals(true);
  }

  /** Whether `row` opens its window (to be written by the caller, or here with `insert`); ended windows' summaries are written here. */
  private async coalesce(group: string, detail: string, row: AuditRow, insert = false): Promise<boolean> {
    const { write, ended } = this.runs.admit(group, detail, this.clock.now(), row);
    await this.insertQuietly([...ended.map(runSummary), ...(write && insert ? [row] : [])]);
    this.armFlush();
    return write;
  }

  private armFlush(): void {
    if (this.tokens.owing + this.runs.owing > 0 && !this.flushTimer) {
      this.flushTimer = setInterval(() => void this.flushRefusals(), COALESCE_WINDOW_MS).unref();
    }
  }

  private rowOf(entry: AuditEntry, ctx: RequestContext | undefined): AuditRow {
    const actor = entry.actor === undefined ? ctx?.actor : entry.actor;
    return {
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId ?? null,
      outcome: entry.outcome ?? 'success',
      changes: entry.changes ? (redact(entry.changes) as Record<string, unknown>) : null,
      clinicId: entry.clinicId === undefined ? (actor?.clinicId ?? null) : entry.clinicId,
      actorUserId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      requestId: ctx?.requestId ?? null,
      claimedRequestId: ctx?.claimedRequestId ?? null,
      ip: ctx?.ip ?? null,
    };
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
      claimedRequestId: ctx?.claimedRequestId ?? null,
      ip: ctx?.ip ?? null,
    };
  }

  private async insertQuietly(rows: AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.dataSource.manager.insert(AuditEvent, rows.map(insertable));
    } catch (err) {
      this.logger.error(`${rows.length} coalesced audit row(s) not written: ${(err as Error).message}`);
    }
  }
}
