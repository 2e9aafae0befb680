import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, ErrorCode, findInClinicOr404, TransactionRunner, type Actor, type Page } from '#platform';
import { ClinicEventBus } from '../events/index.js';
import { decodeKeyCursor, toKeyPage } from '../protocols/index.js';
import { Chair } from './chair.entity.js';

export interface ChairView {
  id: string;
  name: string;
  active: boolean;
}

export const chairView = (c: Chair): ChairView => ({ id: c.id, name: c.name, active: c.active });

/** The clinic's treatment chairs, by name. */
@Injectable()
export class ChairsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly events: ClinicEventBus,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, name: string): Promise<Chair> {
    return this.transactions.run(async (tx) => {
      if (await tx.manager.existsBy(Chair, { clinicId: actor.clinicId, name: name.trim() }))
        throw DomainError.conflict(ErrorCode.DuplicateKey, 'A chair with this name exists', [{ field: 'name', message: 'already in use' }]);
      const chair = await tx.manager.save(tx.manager.create(Chair, { clinicId: actor.clinicId, name: name.trim(), active: true }));
      await this.audit.record(tx, { action: 'chair.create', resourceType: 'chair', resourceId: chair.id, changes: { name: chair.name } });
      return chair;
    });
  }

  /** Renames, retires or restores a chair; a chair with future bookings is not retired (409 CHAIR_HAS_FUTURE_BOOKINGS). */
  async update(actor: Actor, id: string, changes: { name?: string; active?: boolean }): Promise<Chair> {
    return this.transactions.run(async (tx) => {
      // Locked: a booking holds the chair shared until it commits, so it lands before this check or is refused after it.
      const chair = await findInClinicOr404(tx.manager, Chair, actor.clinicId, { id }, 'Chair', { lock: true });
      // Scheduling refuses while patients are booked into it (ChairRetiring).
      if (changes.active === false && chair.active)
        await this.events.publish(tx, 'ChairRetiring', {
          clinicId: chair.clinicId,
          actor,
          at: this.clock.now(),
          chairId: chair.id,
          chairName: chair.name,
        });
      const before = { name: chair.name, active: chair.active };
      Object.assign(chair, {
        ...(changes.name !== undefined && { name: changes.name.trim() }),
        ...(changes.active !== undefined && { active: changes.active }),
      });
      await tx.manager.save(chair);
      await this.audit.record(tx, {
        action: 'chair.update',
        resourceType: 'chair',
        resourceId: id,
        changes: { before, after: { name: chair.name, active: chair.active } },
      });
      return chair;
    });
  }

  /** One page of the clinic's chairs by name (names are unique in a clinic; the id breaks no tie but keeps the key total). */
  async list(actor: Actor, page: { limit: number; cursor?: string }): Promise<Page<ChairView>> {
    const after = decodeKeyCursor(page.cursor, { name: 'string', id: 'uuid' });
    const q = this.dataSource.createQueryBuilder(Chair, 'c').where('c.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (after) q.andWhere('(c.name, c.id) > (:name, :id)', after);
    const rows = await q
      .orderBy('c.name', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(page.limit + 1)
      .getMany();
    return toKeyPage(rows, page.limit, (c) => ({ name: c.name, id: c.id }), chairView);
  }

  /** The clinic's active chairs by name: where a series or a proposal looks for a free one, what the day shows. */
  active(m: EntityManager, clinicId: string): Promise<Chair[]> {
    return m.find(Chair, { where: { clinicId, active: true }, order: { name: 'ASC' } });
  }
}
