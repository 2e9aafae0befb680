import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

/**
 * The row of `entity` matching `where` in the caller's clinic, or 404 naming `resource`: a record of
 * another clinic answers exactly as a missing one. `lock` takes it FOR UPDATE (inside a transaction).
 */
export async function findInClinicOr404<E extends ObjectLiteral & { clinicId: string }>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  clinicId: string,
  where: FindOptionsWhere<E>,
  resource: string,
  opts: { lock?: boolean } = {},
): Promise<E> {
  const row = await manager.findOne(entity, {
    where: { ...where, clinicId },
    ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw DomainError.notFound(resource);
  return row;
}

export interface KeysetOptions<E, T> {
  /** The sort column as SQL (`a.occurred_at`); it must be `timestamptz(3)` (see `encodeCursor`). */
  sortColumn: string;
  /** The tie-breaking id column as SQL (`a.id`). */
  idColumn: string;
  order: 'ASC' | 'DESC';
  cursor?: string;
  limit: number;
  key: (row: E) => { at: Date; id: string };
  view: (row: E) => T;
}

/** One page of `q` in (sort, id) order after the cursor: the keyset pagination every list route shares. */
export async function keysetPage<E extends ObjectLiteral, T>(q: SelectQueryBuilder<E>, o: KeysetOptions<E, T>): Promise<Page<T>> {
  const after = decodeCursor(o.cursor);
  if (after)
    q.andWhere(`(${o.sortColumn}, ${o.idColumn}) ${o.order === 'ASC' ? '>' : '<'} (:keysetAt, :keysetId)`, {
      keysetAt: after.at,
      keysetId: after.id,
    });
  const rows = await q
    .orderBy(o.sortColumn, o.order)
    .addOrderBy(o.idColumn, o.order)
    .limit(o.limit + 1)
    .getMany();
  return toPage(rows, o.limit, o.key, o.view);
}
