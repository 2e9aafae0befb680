import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, DomainError, isValidTimeZone, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import { Hl7Gateway } from './feed.entity.js';

export interface GatewayView {
  id: string;
  sendingApplication: string;
  sendingFacility: string;
  /** null until the gateway's first message of a registered monitor (or an administrator's edit) tells it. */
  clinicId: string | null;
  /** Its own zone for times sent without an offset; null: its clinic's. */
  timeZone: string | null;
  processingIds: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  lastPeer: string | null;
  /** Messages in a row stamped more than 5 minutes off their arrival (0: in step), since when, by how much (s), whether administrators were told. */
  clockDriftMessages: number;
  clockDriftSince: string | null;
  clockDriftSec: number | null;
  clockDriftWarnedAt: string | null;
}

const view = (g: Hl7Gateway): GatewayView => ({
  id: g.id,
  sendingApplication: g.sendingApplication,
  sendingFacility: g.sendingFacility,
  clinicId: g.clinicId,
  timeZone: g.timeZone,
  processingIds: g.processingIds,
  firstSeenAt: g.firstSeenAt.toISOString(),
  lastSeenAt: g.lastSeenAt.toISOString(),
  lastPeer: g.lastPeer,
  clockDriftMessages: g.clockDriftCount,
  clockDriftSince: g.clockDriftSince?.toISOString() ?? null,
  clockDriftSec: g.clockDriftSec,
  clockDriftWarnedAt: g.clockDriftWarnedAt?.toISOString() ?? null,
});

/**
 * A gateway an administrator sees: one of the clinic's, or one no clinic has claimed yet when
 * Vigil serves one clinic only (with several, a gateway is the clinic's once a message of one of its
 * monitors came through it).
 */
const VISIBLE = `(g.clinic_id = :clinicId OR (g.clinic_id IS NULL AND (SELECT count(*) FROM clinics) = 1))`;

/** The HL7 senders (monitor gateways) as Vigil recorded them when they first sent, for administrators. */
@Injectable()
export class Hl7GatewaysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, f: { limit: number; cursor?: string }): Promise<Page<GatewayView>> {
    const q = this.dataSource.createQueryBuilder(Hl7Gateway, 'g').where(VISIBLE, { clinicId: actor.clinicId });
    return keysetPage(q, {
      sortColumn: 'g.first_seen_at',
      idColumn: 'g.id',
      order: 'ASC',
      cursor: f.cursor,
      limit: f.limit,
      key: (g) => ({ at: g.firstSeenAt, id: g.id }),
      view,
    });
  }

  /** The gateway as the administrator sees it (404 otherwise). */
  async find(m: EntityManager, actor: Actor, id: string, lock = false): Promise<Hl7Gateway> {
    const q = m.createQueryBuilder(Hl7Gateway, 'g').where(`g.id = :id AND ${VISIBLE}`, { id, clinicId: actor.clinicId });
    const g = await (lock ? q.setLock('pessimistic_write') : q).getOne();
    if (!g) throw DomainError.notFound('HL7 gateway');
    return g;
  }

  /** The gateway, locked, to edit (404 otherwise): an unclaimed one becomes the administrator's clinic's. */
  async claim(m: EntityManager, actor: Actor, id: string): Promise<Hl7Gateway> {
    const g = await this.find(m, actor, id, true);
    if (!g.clinicId) {
      await m.update(Hl7Gateway, { id }, { clinicId: actor.clinicId });
      g.clinicId = actor.clinicId;
    }
    return g;
  }

  /** Its zone for times sent without an offset (null: its clinic's); audited with before and after. */
  async setTimeZone(actor: Actor, id: string, timeZone: string | null): Promise<GatewayView> {
    if (timeZone !== null && !(await this.knownZone(timeZone)))
      throw DomainError.validation([{ field: 'timeZone', message: 'must be an IANA time zone such as America/New_York, or null' }]);
    return this.transactions.run(async (tx) => {
      const g = await this.claim(tx.manager, actor, id);
      const before = g.timeZone;
      await tx.manager.update(Hl7Gateway, { id }, { timeZone });
      g.timeZone = timeZone;
      await this.audit.record(tx, {
        action: 'monitor.gateway.update',
        resourceType: 'hl7-gateway',
        resourceId: id,
        changes: { before: { timeZone: before }, after: { timeZone } },
      });
      return view(g);
    });
  }

  private async knownZone(zone: string): Promise<boolean> {
    if (!isValidTimeZone(zone)) return false;
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM pg_timezone_names WHERE name = $1', [zone]);
    return rows.length > 0;
  }
}
