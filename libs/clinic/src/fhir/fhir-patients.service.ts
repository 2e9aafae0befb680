import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { AuditService, DomainError, TransactionRunner, type Actor } from '#platform';
import { foldForSearch, Patient } from '../patients/index.js';
import { decodeFhirCursor, encodeFhirCursor, type SearchPage } from './bundle.js';
import { mrnSystem } from './codes.js';
import { dateBounds } from './date-param.js';
import { toFhirPatient } from './patient-resource.js';
import { UUID, type FhirResource } from './resource.js';
import { parseTokens, type ParsedSearch } from './search-params.js';

/** Patients as FHIR: read and search, each audited in its transaction like the REST patient reads. */
@Injectable()
export class FhirPatientsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** The patient, or 404 for an unknown id and for another clinic's patient alike. */
  read(actor: Actor, id: string): Promise<FhirResource> {
    return this.transactions.run(async (tx) => {
      const row = UUID.test(id) ? await tx.manager.findOneBy(Patient, { id, clinicId: actor.clinicId }) : null;
      if (!row) throw DomainError.notFound('Patient');
      await this.audit.record(tx, { action: 'patient.read', resourceType: 'patient', resourceId: id, changes: { api: 'fhir' } });
      return toFhirPatient(row);
    });
  }

  search(actor: Actor, search: ParsedSearch): Promise<SearchPage> {
    return this.transactions.run(async (tx) => {
      const q = tx.manager.createQueryBuilder(Patient, 'p').where('p.clinic_id = :clinicId', { clinicId: actor.clinicId });
      this.filter(q, actor.clinicId, search.filters);
      const total = await q.clone().getCount();
      const after = decodeFhirCursor(search.cursor);
      if (after) q.andWhere('(p.created_at, p.id) > (:at, :id)', { at: after.at, id: after.id });
      const rows = await q
        .orderBy('p.created_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .limit(search.count + 1)
        .getMany();
      const page = rows.slice(0, search.count);
      const last = page[page.length - 1];
      await this.audit.record(tx, {
        action: 'patient.search',
        resourceType: 'patient',
        changes: {
          api: 'fhir',
          search: Object.fromEntries(search.applied.map(([k, v]) => [k.slice(0, 50), v.slice(0, 100)])),
          returned: page.length,
        },
      });
      return {
        resources: page.map(toFhirPatient),
        total,
        nextCursor: rows.length > search.count && last ? encodeFhirCursor({ at: last.createdAt, id: last.id }) : null,
      };
    });
  }

  /**
   * The patients the resources are about (`_include=…:patient`), each once, of the user's clinic
   * only. The search that includes them is audited as a read of that patient's records.
   */
  async included(actor: Actor, resources: FhirResource[]): Promise<FhirResource[]> {
    const ids = new Set<string>();
    for (const r of resources)
      for (const key of ['subject', 'patient']) {
        const m = /^Patient\/(.+)$/.exec((r[key] as { reference?: string } | undefined)?.reference ?? '');
        if (m && UUID.test(m[1])) ids.add(m[1]);
      }
    if (!ids.size) return [];
    const rows = await this.transactions.run((tx) =>
      tx.manager
        .createQueryBuilder(Patient, 'p')
        .where('p.clinic_id = :clinicId AND p.id IN (:...ids)', { clinicId: actor.clinicId, ids: [...ids] })
        .orderBy('p.created_at')
        .addOrderBy('p.id')
        .getMany(),
    );
    return rows.map(toFhirPatient);
  }

  private filter(q: SelectQueryBuilder<Patient>, clinicId: string, filters: Map<string, string[]>): void {
    let n = 0;
    const param = () => `f${n++}`;
    for (const value of filters.get('_id') ?? []) {
      const ids = value.split(',').filter((id) => UUID.test(id));
      const p = param();
      q.andWhere(ids.length ? `p.id IN (:...${p})` : 'FALSE', { [p]: ids });
    }
    for (const value of filters.get('identifier') ?? []) {
      const mrns = parseTokens('identifier', value)
        .filter((t) => t.system === undefined || t.system === mrnSystem(clinicId))
        .flatMap((t) => (t.code === undefined ? [] : [t.code]));
      const anyMrn = parseTokens('identifier', value).some((t) => t.system === mrnSystem(clinicId) && t.code === undefined);
      const p = param();
      if (!anyMrn) q.andWhere(mrns.length ? `p.mrn IN (:...${p})` : 'FALSE', { [p]: mrns });
    }
    for (const value of filters.get('name') ?? []) {
      for (const word of foldForSearch(value).split(' ').slice(0, 8)) {
        const p = param();
        q.andWhere(`(' ' || p.search_text) LIKE :${p}`, { [p]: `% ${word.replace(/[\\%_]/g, '\\$&')}%` });
      }
    }
    const births = filters.get('birthdate');
    if (births) {
      const { from, to } = dateBounds('birthdate', births, 'UTC');
      if (from) q.andWhere(`p.date_of_birth >= :${param()}`, { [`f${n - 1}`]: from.toISOString().slice(0, 10) });
      if (to) q.andWhere(`p.date_of_birth < :${param()}`, { [`f${n - 1}`]: to.toISOString().slice(0, 10) });
    }
  }
}
