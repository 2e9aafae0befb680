import { metaOf, type FhirResource } from './resource.js';

/** A member of staff (users): names and state only, as the staff directory shows them. */
export interface PractitionerRow {
  id: string;
  name: string;
  active: boolean;
  updatedAt: Date;
  version: number;
}

/**
 * A member of staff as a Practitioner, so that the performers of doses, readings and assessments
 * resolve: the name as Vigil keeps it (one text) and whether the account is active. Emails and
 * roles stay in Vigil (no PractitionerRole yet).
 */
export function toPractitioner(u: PractitionerRow): FhirResource {
  return {
    resourceType: 'Practitioner',
    id: u.id,
    meta: metaOf(u.version, u.updatedAt),
    active: u.active,
    name: [{ text: u.name }],
  };
}
