/** A FHIR resource as Vigil serves it: plain JSON, typed loosely (Vigil maps a few resource types only). */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; profile?: string[] };
  [element: string]: unknown;
}

export interface Reference {
  reference?: string;
  identifier?: { system: string; value: string };
  display?: string;
}

/** FHIR ids are 1–64 of `A–Z a–z 0–9 - .`; Vigil's are UUIDs, or a UUID and a suffix. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A literal reference to one of Vigil's resources (relative, as FHIR servers give them). */
export const ref = (type: string, id: string, display?: string): Reference => ({
  reference: `${type}/${id}`,
  ...(display ? { display } : {}),
});

/** meta of a resource: its version and when it last changed, and the profiles it claims (if any). */
export const metaOf = (version: number | string, lastUpdated: Date, profile: string[] = []) => ({
  versionId: String(version),
  lastUpdated: lastUpdated.toISOString(),
  ...(profile.length ? { profile } : {}),
});
