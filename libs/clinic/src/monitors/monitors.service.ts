import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, ErrorCode, findInClinicOr404, TransactionRunner, type Actor, type Page } from '#platform';
import { Chair } from '../chairs/index.js';
import { normalizeLocation } from '../hl7/index.js';
import { decodeKeyCursor, toKeyPage } from '../protocols/index.js';
import { Monitor } from './monitor.entity.js';
import { monitorView, type MonitorInput, type MonitorView } from './monitor-view.js';

/** The unique keys of an active monitor, and the field a clash is named on. */
const UNIQUE: Record<string, { field: string; message: string }> = {
  ux_monitors_eui64: { field: 'eui64', message: 'another active monitor sends this EUI-64' },
  ux_monitors_location: { field: 'location', message: 'another active monitor of your clinic has this location' },
  ux_monitors_name: { field: 'name', message: 'another active monitor of your clinic has this name' },
};

/** The bedside monitors administrators register to chairs (audited); clinical staff read them. */
@Injectable()
export class MonitorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async register(actor: Actor, input: MonitorInput): Promise<MonitorView> {
    return this.transactions.run(async (tx) => {
      const fields = await this.checked(tx.manager, actor, input);
      const monitor = tx.manager.create(Monitor, { clinicId: actor.clinicId, ...fields, createdBy: actor.userId });
      await saveOrClash(tx.manager, monitor);
      await this.audit.record(tx, { action: 'monitor.register', resourceType: 'monitor', resourceId: monitor.id, changes: { ...fields } });
      return monitorView(await tx.manager.findOneByOrFail(Monitor, { id: monitor.id }));
    });
  }

  async update(actor: Actor, id: string, changes: Partial<MonitorInput> & { version?: number }): Promise<MonitorView> {
    return this.transactions.run(async (tx) => {
      const monitor = await findInClinicOr404(tx.manager, Monitor, actor.clinicId, { id }, 'Monitor', { lock: true });
      refuseIfRetired(monitor);
      if (changes.version !== undefined && changes.version !== monitor.version)
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `The monitor was changed meanwhile (version ${monitor.version}, you sent ${changes.version})`,
        );
      const before = pick(monitor);
      const after = await this.checked(tx.manager, actor, {
        name: changes.name ?? monitor.name,
        chairId: changes.chairId ?? monitor.chairId,
        eui64: changes.eui64 === undefined ? monitor.eui64 : changes.eui64,
        location: changes.location === undefined ? monitor.location : changes.location,
      });
      Object.assign(monitor, after);
      await saveOrClash(tx.manager, monitor);
      await this.audit.record(tx, { action: 'monitor.update', resourceType: 'monitor', resourceId: id, changes: { before, after } });
      return monitorView(monitor);
    });
  }

  /** A monitor taken out of use: its readings no longer bind to the chair; it stays listed as retired. */
  async retire(actor: Actor, id: string, reason: string): Promise<MonitorView> {
    return this.transactions.run(async (tx) => {
      const monitor = await findInClinicOr404(tx.manager, Monitor, actor.clinicId, { id }, 'Monitor', { lock: true });
      refuseIfRetired(monitor);
      Object.assign(monitor, { retiredAt: this.clock.now(), retiredBy: actor.userId, retireReason: reason.trim() });
      await tx.manager.save(monitor);
      await this.audit.record(tx, {
        action: 'monitor.retire',
        resourceType: 'monitor',
        resourceId: id,
        changes: { reason: monitor.retireReason },
      });
      return monitorView(monitor);
    });
  }

  async get(actor: Actor, id: string): Promise<MonitorView> {
    return monitorView(await findInClinicOr404(this.dataSource.manager, Monitor, actor.clinicId, { id }, 'Monitor'));
  }

  /** One page of the clinic's monitors by name (`active`: only those in use, or only the retired; `chairId`: one chair's). */
  async list(actor: Actor, f: { chairId?: string; active?: boolean; limit: number; cursor?: string }): Promise<Page<MonitorView>> {
    const after = decodeKeyCursor(f.cursor, { name: 'string', id: 'uuid' });
    const q = this.dataSource.createQueryBuilder(Monitor, 'm').where('m.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.chairId) q.andWhere('m.chair_id = :chairId', { chairId: f.chairId });
    if (f.active !== undefined) q.andWhere(f.active ? 'm.retired_at IS NULL' : 'm.retired_at IS NOT NULL');
    if (after) q.andWhere('(m.name, m.id) > (:name, :id)', after);
    const rows = await q
      .orderBy('m.name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(f.limit + 1)
      .getMany();
    return toKeyPage(rows, f.limit, (m) => ({ name: m.name, id: m.id }), monitorView);
  }

  /** The registration as stored: an active chair of the clinic, the EUI-64 upper-case, the location normalised; one of them at least. */
  private async checked(
    m: EntityManager,
    actor: Actor,
    input: MonitorInput,
  ): Promise<Pick<Monitor, 'name' | 'chairId' | 'eui64' | 'location'>> {
    const chair = await m.findOneBy(Chair, { id: input.chairId, clinicId: actor.clinicId, active: true });
    if (!chair) throw DomainError.validation([{ field: 'chairId', message: 'no active chair of your clinic has this id' }]);
    const eui64 = input.eui64?.replace(/[-:\s]/g, '').toUpperCase() || null;
    const location = input.location ? normalizeLocation(input.location) || null : null;
    if (!eui64 && !location)
      throw DomainError.validation([
        { field: 'eui64', message: 'a monitor is recognised by its EUI-64, its bed location (PV1-3), or both: give one' },
      ]);
    return { name: input.name.trim(), chairId: chair.id, eui64, location };
  }
}

const pick = (m: Monitor) => ({ name: m.name, chairId: m.chairId, eui64: m.eui64, location: m.location });

function refuseIfRetired(m: Monitor): void {
  if (m.retiredAt) throw DomainError.conflict(ErrorCode.MonitorRetired, 'The monitor is retired; register it again to use it');
}

async function saveOrClash(m: EntityManager, monitor: Monitor): Promise<void> {
  try {
    await m.save(monitor);
  } catch (err) {
    const clash = err instanceof QueryFailedError ? UNIQUE[(err.driverError as { constraint?: string }).constraint ?? ''] : undefined;
    if (clash) throw DomainError.conflict(ErrorCode.DuplicateKey, `A monitor with this ${clash.field} is registered`, [clash]);
    throw err;
  }
}
