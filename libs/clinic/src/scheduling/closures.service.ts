import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService, DomainError, ErrorCode, findInClinicOr404, keysetPage, TransactionRunner, type Actor, type Page } from '#platform';
import { ClinicClosure } from './closure.entity.js';

export interface ClosureView {
  id: string;
  date: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

const view = (c: ClinicClosure): ClosureView => ({
  id: c.id,
  date: c.date,
  reason: c.reason,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
});

/** The clinic's closed days (holidays, closures), set by administrators; bookings, series and maintenance respect them. */
@Injectable()
export class ClosuresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** Closes a day; the bookings already on it stay (the answer's `bookedThatDay` counts them, to be moved by hand). */
  async add(actor: Actor, input: { date: string; reason: string }): Promise<ClosureView & { bookedThatDay: number }> {
    return this.transactions.run(async (tx) => {
      const closure = tx.manager.create(ClinicClosure, {
        clinicId: actor.clinicId,
        date: input.date,
        reason: input.reason.trim(),
        createdBy: actor.userId,
      });
      try {
        await tx.manager.insert(ClinicClosure, closure);
      } catch (err) {
        if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505')
          throw DomainError.conflict(ErrorCode.DuplicateKey, 'The clinic is already closed that day', [
            { field: 'date', message: 'already closed' },
          ]);
        throw err;
      }
      const [{ n }] = await tx.manager.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM appointments a JOIN clinics c ON c.id = a.clinic_id
          WHERE a.clinic_id = $1 AND a.status IN ('booked', 'tentative') AND (a.starts_at AT TIME ZONE c.time_zone)::date = $2::date`,
        [actor.clinicId, input.date],
      );
      await this.audit.record(tx, {
        action: 'closure.add',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { closureId: closure.id, date: closure.date, reason: closure.reason },
      });
      const saved = await tx.manager.findOneByOrFail(ClinicClosure, { id: closure.id });
      return { ...view(saved), bookedThatDay: n };
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const closure = await findInClinicOr404(tx.manager, ClinicClosure, actor.clinicId, { id }, 'Closure', { lock: true });
      await tx.manager.delete(ClinicClosure, { id });
      await this.audit.record(tx, {
        action: 'closure.remove',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { closureId: id, date: closure.date, reason: closure.reason },
      });
    });
  }

  /** The clinic's closed days from `from` on, soonest first, a page at a time. */
  async list(actor: Actor, f: { from?: string; limit: number; cursor?: string }): Promise<Page<ClosureView>> {
    const q = this.dataSource.createQueryBuilder(ClinicClosure, 'c').where('c.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.from) q.andWhere('c.date >= :from', { from: f.from });
    return keysetPage(q, {
      sortColumn: 'c.date',
      idColumn: 'c.id',
      order: 'ASC',
      cursor: f.cursor,
      limit: f.limit,
      key: (c) => ({ at: new Date(`${c.date}T00:00:00Z`), id: c.id }),
      view,
    });
  }

  /** The closed local dates of the clinic between two dates (inclusive), for planning. */
  async closedDays(m: EntityManager, clinicId: string, from: string, to: string): Promise<Set<string>> {
    const rows = await m.query<{ date: string }[]>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM clinic_closures WHERE clinic_id = $1 AND date BETWEEN $2::date AND $3::date`,
      [clinicId, from, to],
    );
    return new Set(rows.map((r) => r.date));
  }
}
