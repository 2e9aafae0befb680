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
 * Operations the server offers (`rest.operation`): Bulk Data `$export`, at system level (the
 * clinic's data) and on Patient (the Patient compartment), by the Bulk Data IG's definitions.
 */
export const OPERATIONS: Array<{ name: string; definition: string; documentation?: string }> = [
  {
    name: 'export',
    definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
    documentation: "The caller's clinic's data as NDJSON files (Prefer: respond-async; _type, _since, _outputFormat).",
  },
];

/** The type-level operations: `Patient/$export`. */
const TYPE_OPERATIONS: Partial<Record<keyof typeof SEARCH_PARAMS, Array<{ name: string; definition: string }>>> = {
  Patient: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' }],
};

/** What Vigil's FHIR API implements, and nothing more: read and search of the types in SEARCH_PARAMS, and $export. */
export function capabilityStatement(opts: { baseUrl: string; date: string; version: string }): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: opts.date,
    publisher: 'Vigil',
    kind: 'instance',
    software: { name: 'Vigil', version: opts.version },
    implementation: { description: 'Vigil FHIR R4 API (read-only, with Bulk Data export)', url: opts.baseUrl },
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
          ...(TYPE_OPERATIONS[type as keyof typeof SEARCH_PARAMS]
            ? { operation: TYPE_OPERATIONS[type as keyof typeof SEARCH_PARAMS] }
            : {}),
        })),
        ...(OPERATIONS.length ? { operation: OPERATIONS } : {}),
      },
    ],
  };
}
