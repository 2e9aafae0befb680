import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clinic, DomainError, type Actor } from '#platform';
import { decodeFhirCursor, encodeFhirCursor, type SearchPage } from './bundle.js';
import { dateBounds } from './date-param.js';
import { intersectKinds, kindsOfCategory, kindsOfCode, parseObservationId, type ObservationKind } from './observation-kinds.js';
import { observationKeys, observationsOfKeys, type ObservationFilter } from './observation-sources.js';
import { UUID, type FhirResource } from './resource.js';
import { parseTokens, patientIdOf, type ParsedSearch } from './search-params.js';

/*
 * Observations: each vital-sign measure of a reading (not superseded), body weights, and the
 * assessment scores (PHQ-9, GAD-7, CADSS-6, MOAA/S), in one order (time, row id, kind) — the keyset
 * the `next` links carry. Audited by the controller, like the REST vitals list.
 */

const patientLists = (search: ParsedSearch): string[][] =>
  ['patient', 'subject'].flatMap((name) =>
    (search.filters.get(name) ?? []).map((value) =>
      value
        .split(',')
        .map(patientIdOf)
        .filter((p): p is string => p !== null && UUID.test(p)),
    ),
  );

const idLists = (search: ParsedSearch): Array<Array<{ rowId: string; kind: ObservationKind }>> =>
  (search.filters.get('_id') ?? []).map((value) =>
    value.split(',').flatMap((id) => {
      const parsed = parseObservationId(id);
      return parsed ? [parsed] : [];
    }),
  );

@Injectable()
export class FhirObservationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** One Observation, or 404 for an id Vigil did not issue, a superseded reading, or another clinic's. */
  async read(actor: Actor, id: string): Promise<FhirResource> {
    const parsed = parseObservationId(id);
    const filter: ObservationFilter = {
      clinicId: actor.clinicId,
      patients: [],
      ids: [parsed ? [parsed] : []],
      kinds: intersectKinds([]),
      descending: false,
    };
    const { keys } = parsed ? await observationKeys(this.dataSource, filter, 1) : { keys: [] };
    const [resource] = await observationsOfKeys(this.dataSource, keys);
    if (!resource) throw DomainError.notFound('Observation');
    return resource;
  }

  async search(actor: Actor, search: ParsedSearch): Promise<SearchPage> {
    const filter: ObservationFilter = {
      clinicId: actor.clinicId,
      patients: patientLists(search),
      ids: idLists(search),
      kinds: intersectKinds([
        ...(search.filters.get('category') ?? []).map((v) => kindsOfCategory(parseTokens('category', v))),
        ...(search.filters.get('code') ?? []).map((v) => kindsOfCode(parseTokens('code', v))),
      ]),
      after: decodeFhirCursor(search.cursor),
      descending: search.descending,
    };
    const dates = search.filters.get('date');
    if (dates) {
      const clinic = await this.dataSource.manager.findOneByOrFail(Clinic, { id: actor.clinicId });
      Object.assign(filter, dateBounds('date', dates, clinic.timeZone));
    }
    const { total, keys } = await observationKeys(this.dataSource, filter, search.count + 1);
    const page = keys.slice(0, search.count);
    const last = page[page.length - 1];
    return {
      resources: await observationsOfKeys(this.dataSource, page),
      total,
      nextCursor: keys.length > search.count && last ? encodeFhirCursor({ at: last.at, id: last.id, k: last.ord }) : null,
    };
  }
}
