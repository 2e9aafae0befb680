import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService, DomainError, ErrorCode, findInClinicOr404, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import { CsHoliday } from './loss.entity.js';

export interface HolidayView {
  id: string;
  date: string;
  name: string;
  createdBy: string;
  createdAt: string;
}

const view = (h: CsHoliday): HolidayView => ({
  id: h.id,
  date: h.date,
  name: h.name,
  createdBy: h.createdBy,
  createdAt: h.createdAt.toISOString(),
});

/**
 * The days the DEA's business days skip for this clinic (administrators keep the list: the federal
 * holidays, say). A loss report's notice deadline is computed with the list as it stands when the
 * loss is reported; a holiday added later does not move it.
 */
@Injectable()
export class LedgerHolidaysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  async add(actor: Actor, input: { date: string; name: string }): Promise<HolidayView> {
    return this.transactions.run(async (tx) => {
      const h = tx.manager.create(CsHoliday, {
        clinicId: actor.clinicId,
        date: input.date,
        name: input.name.trim(),
        createdBy: actor.userId,
      });
      await tx.manager.insert(CsHoliday, h).catch((err: unknown) => {
        if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505')
          throw DomainError.conflict(ErrorCode.DuplicateKey, 'That day is already a holiday', [
            { field: 'date', message: 'already listed' },
          ]);
        throw err;
      });
      await this.audit.record(tx, {
        action: 'ledger.holiday.add',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { holidayId: h.id, ...input },
      });
      return view(await tx.manager.findOneByOrFail(CsHoliday, { id: h.id }));
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const h = await findInClinicOr404(tx.manager, CsHoliday, actor.clinicId, { id }, 'Holiday', { lock: true });
      await tx.manager.delete(CsHoliday, { id });
      await this.audit.record(tx, {
        action: 'ledger.holiday.remove',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { holidayId: id, date: h.date, name: h.name },
      });
    });
  }

  /** The list from `from` on, soonest first. */
  async list(actor: Actor, f: { from?: string; limit: number; cursor?: string }): Promise<Page<HolidayView>> {
    const q = this.dataSource.createQueryBuilder(CsHoliday, 'h').where('h.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.from) q.andWhere('h.date >= :from', { from: f.from });
    return keysetPage(q, {
      sortColumn: 'h.date',
      idColumn: 'h.id',
      order: 'ASC',
      cursor: f.cursor,
      limit: f.limit,
      key: (h) => ({ at: new Date(`${h.date}T00:00:00Z`), id: h.id }),
      view,
    });
  }
}
