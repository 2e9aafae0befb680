import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clinic, Clock, DomainError, type Actor } from '#platform';
import { decodeFhirCursor, encodeFhirCursor, type SearchPage } from './bundle.js';
import { dateBounds } from './date-param.js';
import { UUID, type FhirResource } from './resource.js';
import { TABLES, type TableSpec, type TableType } from './resource-tables.js';
import { patientIdOf, type ParsedSearch } from './search-params.js';

/*
 * Read and search of the resources that are one row each (Encounter, MedicationAdministration,
 * Consent, Appointment, Flag, Device, Location, Practitioner): always within the user's clinic, in
 * the order of the table's time and id, paged by a keyset cursor. Audited by the controller.
 */

type Arg = (value: unknown) => string;

const ids = (value: string, parse: (v: string) => string | null = (v) => v): string[] =>
  value
    .split(',')
    .map(parse)
    .filter((id): id is string => id !== null && UUID.test(id));

@Injectable()
export class FhirTablesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The resource, or 404 for an unknown id and for another clinic's alike. */
  async read(actor: Actor, type: TableType, id: string): Promise<FhirResource> {
    const spec = TABLES[type];
    const params: unknown[] = [actor.clinicId];
    const arg: Arg = (v) => `$${params.push(v)}`;
    const rows = UUID.test(id)
      ? await this.dataSource.query<Record<string, unknown>[]>(
          `${this.selectFrom(spec, arg)} WHERE ${this.scope(spec)} AND ${spec.id} = ${arg(id)}::uuid`,
          params,
        )
      : [];
    if (!rows[0]) throw DomainError.notFound(type);
    return spec.map(rows[0], this.clock.now());
  }

  async search(actor: Actor, type: TableType, search: ParsedSearch): Promise<SearchPage> {
    const spec = TABLES[type];
    const params: unknown[] = [actor.clinicId];
    const arg: Arg = (v) => `$${params.push(v)}`;
    const where = [this.scope(spec), ...(await this.filters(actor, spec, search, arg))];
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(
      `SELECT count(*)::int AS total FROM ${spec.from} WHERE ${where.join(' AND ')}`,
      params,
    );
    const after = decodeFhirCursor(search.cursor);
    if (after) where.push(`(${spec.sort}, ${spec.id}) > (${arg(after.at)}::timestamptz, ${arg(after.id)}::uuid)`);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT page_keys."_at", sub.* FROM (SELECT ${spec.sort} AS "_at", ${spec.id} AS "_id" FROM ${spec.from}
        WHERE ${where.join(' AND ')} ORDER BY ${spec.sort}, ${spec.id} LIMIT ${arg(search.count + 1)}) page_keys
        JOIN LATERAL (${this.selectFrom(spec, arg)} WHERE ${spec.id} = page_keys."_id") sub ON TRUE
        ORDER BY page_keys."_at", page_keys."_id"`,
      params,
    );
    const page = rows.slice(0, search.count);
    const last = page[page.length - 1];
    const now = this.clock.now();
    return {
      resources: page.map((row) => spec.map(row, now)),
      total,
      nextCursor: rows.length > search.count && last ? encodeFhirCursor({ at: last['_at'] as Date, id: String(last['id']) }) : null,
    };
  }

  /**
   * One page of a bulk export: the clinic's resources of `type` after the cursor, last updated after
   * `since`, in the keyset order of the searches (no count, no patient filter).
   */
  async exportPage(
    clinicId: string,
    type: TableType,
    since: Date | null,
    cursor: string | null,
    limit: number,
  ): Promise<{ resources: FhirResource[]; next: string | null }> {
    const spec = TABLES[type];
    const params: unknown[] = [clinicId];
    const arg: Arg = (v) => `$${params.push(v)}`;
    const where = [this.scope(spec)];
    if (since) where.push(`${spec.updated} > ${arg(since)}`);
    const after = decodeFhirCursor(cursor ?? undefined);
    if (after) where.push(`(${spec.sort}, ${spec.id}) > (${arg(after.at)}::timestamptz, ${arg(after.id)}::uuid)`);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT page_keys."_at", sub.* FROM (SELECT ${spec.sort} AS "_at", ${spec.id} AS "_id" FROM ${spec.from}
        WHERE ${where.join(' AND ')} ORDER BY ${spec.sort}, ${spec.id} LIMIT ${arg(limit)}) page_keys
        JOIN LATERAL (${this.selectFrom(spec, arg)} WHERE ${spec.id} = page_keys."_id") sub ON TRUE
        ORDER BY page_keys."_at", page_keys."_id"`,
      params,
    );
    const last = rows[rows.length - 1];
    const now = this.clock.now();
    return {
      resources: rows.map((row) => spec.map(row, now)),
      next: rows.length === limit && last ? encodeFhirCursor({ at: last['_at'] as Date, id: String(last['id']) }) : null,
    };
  }

  private selectFrom(spec: TableSpec, arg: Arg): string {
    const select = spec.select.includes(':now') ? spec.select.replace(':now', `${arg(this.clock.now())}::timestamptz`) : spec.select;
    return `SELECT ${select} FROM ${spec.from}`;
  }

  private scope(spec: TableSpec): string {
    return `${spec.clinic} = $1${spec.where ? ` AND ${spec.where}` : ''}`;
  }

  /** The conditions of `_id`, `patient` (`subject`, `actor`) and `date`; each value a condition, the values ANDed. */
  private async filters(actor: Actor, spec: TableSpec, search: ParsedSearch, arg: Arg): Promise<string[]> {
    const where: string[] = [];
    for (const value of search.filters.get('_id') ?? []) {
      const list = ids(value);
      where.push(list.length ? `${spec.id} = ANY(${arg(list)}::uuid[])` : 'FALSE');
    }
    for (const name of ['patient', 'subject'])
      for (const value of search.filters.get(name) ?? []) {
        const list = ids(value, patientIdOf);
        where.push(list.length && spec.patient ? `${spec.patient} = ANY(${arg(list)}::uuid[])` : 'FALSE');
      }
    const dates = search.filters.get('date');
    if (dates && spec.date) {
      const clinic = await this.dataSource.manager.findOneByOrFail(Clinic, { id: actor.clinicId });
      const { from, to } = dateBounds('date', dates, clinic.timeZone);
      const { start, end } = spec.date;
      // A period matches when it overlaps the range (an open end is still going on); one never started matches no date.
      if (end) where.push(`${start} IS NOT NULL`);
      if (from) where.push(end ? `(${end} IS NULL OR ${end} >= ${arg(from)})` : `${start} >= ${arg(from)}`);
      if (to) where.push(`${start} < ${arg(to)}`);
    }
    return where;
  }
}
