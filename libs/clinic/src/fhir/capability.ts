import { PROFILE } from './codes.js';
import type { FhirResource } from './resource.js';
import { INCLUDES, SEARCH_PARAMS } from './search-params.js';

/** The profiles each type's resources claim (in meta.profile); the types not listed claim base R4 only. */
const SUPPORTED_PROFILES: Partial<Record<keyof typeof SEARCH_PARAMS, string[]>> = {
  Patient: [PROFILE.usCorePatient],
  Observation: [
    PROFILE.usCoreBloodPressure,
    PROFILE.vitalSigns,
    PROFILE.heartRate,
    PROFILE.respiratoryRate,
    PROFILE.oxygenSaturation,
    PROFILE.bodyTemperature,
    PROFILE.bodyWeight,
  ],
};

/**
 * Operations the server offers (`rest.operation`): none yet. Bulk Data `$export` is to be listed
 * here, with its routes beside the read-only controllers, when it is built.
 */
export const OPERATIONS: Array<{ name: string; definition: string }> = [];

/** What Vigil's FHIR API implements, and nothing more: read and search of the types in SEARCH_PARAMS. */
export function capabilityStatement(opts: { baseUrl: string; date: string; version: string }): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: opts.date,
    publisher: 'Vigil',
    kind: 'instance',
    software: { name: 'Vigil', version: opts.version },
    implementation: { description: 'Vigil FHIR R4 API (read-only)', url: opts.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Staff access tokens of the clinic (Authorization: Bearer …), the same roles as the REST API.',
        security: { cors: false, description: 'Bearer access token from POST /api/v1/auth/login' },
        resource: Object.entries(SEARCH_PARAMS).map(([type, params]) => ({
          type,
          ...(SUPPORTED_PROFILES[type as keyof typeof SEARCH_PARAMS]
            ? { supportedProfile: SUPPORTED_PROFILES[type as keyof typeof SEARCH_PARAMS] }
            : {}),
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          ...(INCLUDES[type as keyof typeof SEARCH_PARAMS] ? { searchInclude: INCLUDES[type as keyof typeof SEARCH_PARAMS] } : {}),
          searchParam: params.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
        })),
        ...(OPERATIONS.length ? { operation: OPERATIONS } : {}),
      },
    ],
  };
}
