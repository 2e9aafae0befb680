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

export const PROFILE = {
  usCorePatient: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient',
  usCoreBloodPressure: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure',
  vitalSigns: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
  heartRate: 'http://hl7.org/fhir/StructureDefinition/heartrate',
  respiratoryRate: 'http://hl7.org/fhir/StructureDefinition/resprate',
  oxygenSaturation: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  bodyTemperature: 'http://hl7.org/fhir/StructureDefinition/bodytemp',
} as const;

/** The identifier system of a clinic's medical record numbers: MRNs are unique within one clinic only. */
export const mrnSystem = (clinicId: string): string => `urn:vigil:clinic:${clinicId}:mrn`;

/** The identifier system of a clinic's monitors (the device id they report under). */
export const deviceSystem = (clinicId: string): string => `urn:vigil:clinic:${clinicId}:device`;

export interface Coding {
  system: string;
  code: string;
  display: string;
}

export const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
export const mdc = (code: string, display: string): Coding => ({ system: MDC, code, display });
