import { loinc, OBSERVATION_CATEGORY, PROFILE, ucum } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';

/** A weight measurement as Vigil keeps it (patient_weights): in kg, with what was entered. */
export interface WeightRow {
  id: string;
  patientId: string;
  weightKg: number;
  enteredValue: number;
  enteredUnit: 'kg' | 'lb';
  measuredAt: Date;
  createdAt: Date;
  recordedBy: string;
}

export const BODY_WEIGHT = loinc('29463-7', 'Body weight');

/**
 * A weight as an R4 body-weight Observation (`bodyweight` profile: LOINC 29463-7, UCUM kg), id
 * `<weight id>-weight`. A weight entered in pounds is served in kilograms, as Vigil stores and doses
 * it, with what was entered in a note.
 */
export function toWeightObservation(w: WeightRow): FhirResource {
  return {
    resourceType: 'Observation',
    id: `${w.id}-weight`,
    meta: metaOf(1, w.createdAt, [PROFILE.bodyWeight]),
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }],
    code: { coding: [BODY_WEIGHT], text: 'Body weight' },
    subject: ref('Patient', w.patientId),
    effectiveDateTime: w.measuredAt.toISOString(),
    issued: w.createdAt.toISOString(),
    performer: [ref('Practitioner', w.recordedBy)],
    valueQuantity: ucum(w.weightKg, 'kg'),
    ...(w.enteredUnit === 'lb' ? { note: [{ text: `Entered as ${w.enteredValue} lb` }] } : {}),
  };
}
