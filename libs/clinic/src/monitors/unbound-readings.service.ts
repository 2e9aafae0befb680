import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, ErrorCode, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import type { AlertView } from '../alerts/index.js';
import { Session } from '../sessions/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { floorChanged } from '../session-views/index.js';
import { VitalsIngestService, type ReadingView } from '../vitals/index.js';
import { UnboundReading } from './feed.entity.js';

export interface UnboundReadingView {
  id: string;
  status: UnboundReading['status'];
  reason: UnboundReading['reason'];
  monitorId: string | null;
  chairId: string | null;
  deviceId: string;
  location: string | null;
  patientMrn: string | null;
  measuredAt: string;
  zoneAssumed: boolean;
  values: Record<string, number>;
  receivedAt: string;
  sessionId: string | null;
  readingId: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolveReason: string | null;
}

export const unboundView = (u: UnboundReading): UnboundReadingView => ({
  id: u.id,
  status: u.status,
  reason: u.reason,
  monitorId: u.monitorId,
  chairId: u.chairId,
  deviceId: u.deviceId,
  location: u.location,
  patientMrn: u.patientMrn,
  measuredAt: u.measuredAt.toISOString(),
  zoneAssumed: u.zoneAssumed,
  values: u.values,
  receivedAt: u.receivedAt.toISOString(),
  sessionId: u.sessionId,
  readingId: u.readingId,
  resolvedBy: u.resolvedBy,
  resolvedAt: u.resolvedAt?.toISOString() ?? null,
  resolveReason: u.resolveReason,
});

/** Monitor readings no session took: nurses list them, attach each to the right session or discard it with a reason. */
@Injectable()
export class UnboundReadingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ingest: VitalsIngestService,
    private readonly settings: ClinicSettingsService,
  ) {}

  /** The clinic's unbound readings, newest measurement first (`status`: open by default). */
  async list(
    actor: Actor,
    f: { status?: UnboundReading['status']; chairId?: string; limit: number; cursor?: string },
  ): Promise<Page<UnboundReadingView>> {
    const q = this.dataSource
      .createQueryBuilder(UnboundReading, 'u')
      .where('u.clinic_id = :clinicId AND u.status = :status', { clinicId: actor.clinicId, status: f.status ?? 'open' });
    if (f.chairId) q.andWhere('u.chair_id = :chairId', { chairId: f.chairId });
    return keysetPage(q, {
      sortColumn: 'u.measured_at',
      idColumn: 'u.id',
      order: 'DESC',
      cursor: f.cursor,
      limit: f.limit,
      key: (u) => ({ at: u.measuredAt, id: u.id }),
      view: unboundView,
    });
  }

  /**
   * The reading charted into `sessionId` as the device reading it is (same device, time and values),
   * through the vitals ingest: judged, alarmed and audited as any reading, recorded by the nurse; one
   * measured longer ago than the clinic's lateReadingPageAfterMin is charted `late` and raises no alert.
   */
  async attach(
    actor: Actor,
    id: string,
    sessionId: string,
  ): Promise<{ unbound: UnboundReadingView; reading: ReadingView; alerts: AlertView[] }> {
    return this.transactions.run(async (tx) => {
      const u = await this.open(tx.manager, actor, id);
      if (!(await tx.manager.existsBy(Session, { id: sessionId, clinicId: actor.clinicId })))
        throw DomainError.validation([{ field: 'sessionId', message: 'no session of your clinic has this id' }]);
      // Attached later than the clinic's lateReadingPageAfterMin after it was measured, it is charted and judged, and pages nobody.
      const { lateReadingPageAfterMin } = await this.settings.forClinic(actor.clinicId, tx.manager);
      const late = this.clock.now().getTime() - u.measuredAt.getTime() > lateReadingPageAfterMin * 60_000;
      const { readings, alerts } = await this.ingest.record(
        actor,
        sessionId,
        [{ measuredAt: u.measuredAt, source: 'device', deviceId: u.deviceId, ...u.values, late, timeOffsetAssumed: u.zoneAssumed }],
        false,
      );
      Object.assign(u, {
        status: 'attached',
        sessionId,
        readingId: readings[0].id,
        resolvedBy: actor.userId,
        resolvedAt: this.clock.now(),
      });
      await tx.manager.save(u);
      await this.audit.record(tx, {
        action: 'monitor.unbound.attach',
        resourceType: 'unbound-reading',
        resourceId: id,
        changes: { sessionId, readingId: readings[0].id, duplicate: readings[0].duplicate, reason: u.reason },
      });
      return { unbound: unboundView(u), reading: readings[0], alerts };
    });
  }

  async discard(actor: Actor, id: string, reason: string): Promise<UnboundReadingView> {
    return this.transactions.run(async (tx) => {
      const u = await this.open(tx.manager, actor, id);
      Object.assign(u, { status: 'discarded', resolvedBy: actor.userId, resolvedAt: this.clock.now(), resolveReason: reason.trim() });
      await tx.manager.save(u);
      await this.audit.record(tx, {
        action: 'monitor.unbound.discard',
        resourceType: 'unbound-reading',
        resourceId: id,
        changes: { reason: u.resolveReason, unboundBecause: u.reason },
      });
      // Attaching tells the boards through the readings it stores; discarding, here.
      await floorChanged(tx.manager, actor.clinicId);
      return unboundView(u);
    });
  }

  private async open(m: EntityManager, actor: Actor, id: string): Promise<UnboundReading> {
    const u = await m.findOne(UnboundReading, { where: { id, clinicId: actor.clinicId }, lock: { mode: 'pessimistic_write' } });
    if (!u) throw DomainError.notFound('Unbound reading');
    if (u.status !== 'open') throw DomainError.conflict(ErrorCode.UnboundReadingResolved, `The reading was already ${u.status}`);
    return u;
  }
}
