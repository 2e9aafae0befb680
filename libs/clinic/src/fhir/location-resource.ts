import { LOCATION_PHYSICAL_TYPE } from './codes.js';
import { metaOf, type FhirResource } from './resource.js';

/** A treatment chair (chairs). */
export interface LocationRow {
  id: string;
  name: string;
  active: boolean;
  createdAt: Date;
}

/** A chair as a Location: one place (`instance`) where a patient is dosed and observed; inactive once retired. */
export function toLocation(c: LocationRow): FhirResource {
  return {
    resourceType: 'Location',
    id: c.id,
    meta: metaOf(1, c.createdAt),
    status: c.active ? 'active' : 'inactive',
    name: c.name,
    description: 'Treatment chair',
    mode: 'instance',
    physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE, code: 'bd', display: 'Bed' }], text: 'Treatment chair' },
  };
}
