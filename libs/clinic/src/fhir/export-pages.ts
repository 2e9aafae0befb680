import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Patient } from '../patients/index.js';
import { decodeFhirCursor, encodeFhirCursor } from './bundle.js';
import type { ExportType } from './export-request.js';
import { FhirTablesService } from './fhir-tables.service.js';
import { intersectKinds } from './observation-kinds.js';
import { observationKeys, observationsOfKeys } from './observation-sources.js';
import { toFhirPatient } from './patient-resource.js';
import type { FhirResource } from './resource.js';

export interface ExportPage {
  resources: FhirResource[];
  /** The cursor after this page, or null when it was the last. */
  next: string | null;
}

/**
 * A bulk export reads a clinic's resources one page at a time, by the same keyset (time, id) as the
 * searches' `next` links and through the same mappers as the read API: memory stays flat, and a
 * resumed export continues from the cursor its last committed page left.
 */
@Injectable()
export class FhirExportPages {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tables: FhirTablesService,
  ) {}

  page(clinicId: string, type: ExportType, since: Date | null, cursor: string | null, limit: number): Promise<ExportPage> {
    if (type === 'Patient') return this.patients(clinicId, since, cursor, limit);
    if (type === 'Observation') return this.observations(clinicId, since, cursor, limit);
    return this.tables.exportPage(clinicId, type, since, cursor, limit);
  }

  private async patients(clinicId: string, since: Date | null, cursor: string | null, limit: number): Promise<ExportPage> {
    const q = this.dataSource.manager.createQueryBuilder(Patient, 'p').where('p.clinic_id = :clinicId', { clinicId });
    if (since) q.andWhere('p.updated_at > :since', { since });
    const after = decodeFhirCursor(cursor ?? undefined);
    if (after) q.andWhere('(p.created_at, p.id) > (:at, :id)', { at: after.at, id: after.id });
    const rows = await q.orderBy('p.created_at', 'ASC').addOrderBy('p.id', 'ASC').limit(limit).getMany();
    const last = rows[rows.length - 1];
    return {
      resources: rows.map(toFhirPatient),
      next: rows.length === limit && last ? encodeFhirCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }

  private async observations(clinicId: string, since: Date | null, cursor: string | null, limit: number): Promise<ExportPage> {
    const { keys } = await observationKeys(
      this.dataSource,
      {
        clinicId,
        patients: [],
        ids: [],
        kinds: intersectKinds([]),
        after: decodeFhirCursor(cursor ?? undefined),
        descending: false,
        ...(since ? { since } : {}),
      },
      limit,
      { total: false },
    );
    const last = keys[keys.length - 1];
    return {
      resources: await observationsOfKeys(this.dataSource, keys),
      next: keys.length === limit && last ? encodeFhirCursor({ at: last.at, id: last.id, k: last.ord }) : null,
    };
  }
}
