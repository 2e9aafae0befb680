/*
 * The code systems and codes Vigil's FHIR resources carry. LOINC codes of the vital signs are those
 * the FHIR R4 vital-signs profiles fix (hl7.org/fhir/R4/observation-vitalsigns.html); the IEEE
 * 11073-10101 (MDC) codes are those bedside monitors send for the same measures (IEEE 11073-10101
 * nomenclature, as listed in the monitor feed's code map); UCUM units per the same profiles.
 */

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const MDC = 'urn:iso:std:iso:11073:10101';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const V2_IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const NDC = 'http://hl7.org/fhir/sid/ndc';
export const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const V3_PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
export const FLAG_CATEGORY = 'http://terminology.hl7.org/CodeSystem/flag-category';
export const LOCATION_PHYSICAL_TYPE = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
/**
 * Vigil's own code system for the assessments LOINC has no code for (MOAA/S, CADSS-6): no LOINC
 * code for either total was found, so they are coded here, beside their names in `text`.
 */
export const VIGIL_ASSESSMENT = 'urn:vigil:assessment';
/** What an alert is about (its measure) and how urgent it is: Vigil's own lists, as codes. */
export const VIGIL_ALERT_MEASURE = 'urn:vigil:alert-measure';
export const VIGIL_ALERT_LEVEL = 'urn:vigil:alert-level';

export const PROFILE = {
  usCorePatient: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient',
  usCoreBloodPressure: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure',
  vitalSigns: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
  heartRate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
  respiratoryRate: 'http://hl7.org/fhir/StructureDefinition/resprate',
  oxygenSaturation: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  bodyTemperature: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
  bodyWeight: 'http://hl7.org/fhir/StructureDefinition/bodyweight',
} as const;

/** The identifier system of a clinic's medical record numbers: MRNs are unique within one clinic only. */
export const mrnSystem = (clinicId: string): string => `urn:vigil:clinic:${clinicId}:mrn`;

/** The identifier system of a clinic's monitors (the device id they report under). */
export const deviceSystem = (clinicId: string): string => `urn:vigil:clinic:${clinicId}:device`;

/** The identifier system of a clinic's monitors by the bed location their gateway sends (HL7 v2 PV1-3). */
export const deviceLocationSystem = (clinicId: string): string => `urn:vigil:clinic:${clinicId}:device-location`;

/** The canonical of a clinic's consent form version, which a Consent names as its policy. */
export const consentFormUri = (clinicId: string, kind: string, version: number): string =>
  `urn:vigil:clinic:${clinicId}:consent-form:${kind}:${version}`;

export interface Coding {
  system: string;
  code: string;
  display: string;
}

export const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
export const mdc = (code: string, display: string): Coding => ({ system: MDC, code, display });

/** A UCUM quantity. */
export const ucum = (value: number, code: string, unit = code) => ({ value, unit, system: UCUM, code });
