import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { VigilConfig } from '#platform';
import type { FhirExport, TypeProgress } from './fhir-export.entity.js';

/*
 * Where an export's NDJSON files live: `<FHIR_EXPORT_DIR or VIGIL_DATA_DIR/fhir-exports>/<clinic>/<export>/<Type>.ndjson`.
 * The worker writes them and the API serves them, so both must see the same folder.
 */

export const NDJSON = 'application/fhir+ndjson';

export function exportRoot(config: VigilConfig): string {
  return resolve(config.FHIR_EXPORT_DIR || join(config.VIGIL_DATA_DIR, 'fhir-exports'));
}

export function exportFolder(config: VigilConfig, e: Pick<FhirExport, 'clinicId' | 'id'>): string {
  return join(exportRoot(config), e.clinicId, e.id);
}

export function exportFile(config: VigilConfig, e: Pick<FhirExport, 'clinicId' | 'id'>, type: string): string {
  return join(exportFolder(config, e), `${type}.ndjson`);
}

export async function removeExportFiles(config: VigilConfig, e: Pick<FhirExport, 'clinicId' | 'id'>): Promise<void> {
  await rm(exportFolder(config, e), { recursive: true, force: true });
}

/** The manifest's files: each type that has resources, in the export's order. */
export function outputsOf(e: Pick<FhirExport, 'types' | 'progress'>): Array<{ type: string; count: number }> {
  return e.types.flatMap((type) => {
    const p: TypeProgress | undefined = e.progress[type];
    return p && p.count > 0 ? [{ type, count: p.count }] : [];
  });
}

export const freshProgress = (): TypeProgress => ({ after: null, count: 0, bytes: 0, done: false });
