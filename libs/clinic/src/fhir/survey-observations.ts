import { loinc, OBSERVATION_CATEGORY, ucum, VIGIL_ASSESSMENT, type Coding } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';
import { readingContext, type VitalRow } from './vital-observations.js';

/*
 * Assessment scores as survey Observations (category `survey`): the PHQ-9 and GAD-7 totals with
 * their LOINC codes (44261-6, 70274-6), and the MOAA/S and CADSS-6 scores, for which no LOINC code
 * was found, in Vigil's own code system. The items stay in Vigil (no QuestionnaireResponse yet).
 */

/** The instruments served as survey Observations (the C-SSRS screener is not: it is a risk screen, not a score). */
export const SURVEY_INSTRUMENTS = ['PHQ9', 'GAD7', 'CADSS6'] as const;
export type SurveyInstrument = (typeof SURVEY_INSTRUMENTS)[number];

export const SURVEY_CODES = {
  PHQ9: loinc('44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]'),
  GAD7: loinc('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'),
  CADSS6: {
    system: VIGIL_ASSESSMENT,
    code: 'CADSS6',
    display: 'Clinician-Administered Dissociative States Scale, 6 items (CADSS-6) total score',
  },
  MOAAS: { system: VIGIL_ASSESSMENT, code: 'MOAAS', display: "Modified Observer's Assessment of Alertness/Sedation (MOAA/S) score" },
} as const satisfies Record<string, Coding>;

const TEXT: Record<keyof typeof SURVEY_CODES, string> = {
  PHQ9: 'PHQ-9 total score',
  GAD7: 'GAD-7 total score',
  CADSS6: 'CADSS-6 total score',
  MOAAS: 'MOAA/S score',
};

/** One administered instrument (assessments) with a total. */
export interface AssessmentRow {
  id: string;
  patientId: string;
  sessionId: string | null;
  instrument: SurveyInstrument;
  total: number;
  band: string | null;
  administeredAt: Date;
  recordedAt: Date;
  recordedBy: string;
}

/** A nurse's observation check that scored dissociation (observation_checks with a CADSS-6 total). */
export interface DissociationCheckRow {
  id: string;
  patientId: string;
  sessionId: string;
  checkedAt: Date;
  recordedBy: string;
  cadss6Total: number;
}

const SURVEY = [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }], text: 'Survey' }];
const score = (value: number) => ({ valueQuantity: ucum(value, '{score}', 'score') });
const codeOf = (key: keyof typeof SURVEY_CODES) => ({ coding: [SURVEY_CODES[key]], text: TEXT[key] });

/** A PHQ-9, GAD-7 or CADSS-6 total, id `<assessment id>-<instrument>`; its band (PHQ-9, GAD-7) as the interpretation. */
export function toAssessmentObservation(a: AssessmentRow): FhirResource {
  return {
    resourceType: 'Observation',
    id: `${a.id}-${a.instrument.toLowerCase()}`,
    meta: metaOf(1, a.recordedAt),
    status: 'final',
    category: SURVEY,
    code: codeOf(a.instrument),
    subject: ref('Patient', a.patientId),
    ...(a.sessionId ? { encounter: ref('Encounter', a.sessionId) } : {}),
    effectiveDateTime: a.administeredAt.toISOString(),
    issued: a.recordedAt.toISOString(),
    performer: [ref('Practitioner', a.recordedBy)],
    ...score(a.total),
    ...(a.band ? { interpretation: [{ text: a.band }] } : {}),
  };
}

/** The MOAA/S charted with a reading (0–5; any fall from the pre-dose score is sedation), id `<reading id>-moaas`. */
export function toSedationObservation(r: VitalRow & { moaas: number }): FhirResource {
  return {
    resourceType: 'Observation',
    id: `${r.id}-moaas`,
    meta: metaOf(1, r.recordedAt),
    status: 'final',
    category: SURVEY,
    code: codeOf('MOAAS'),
    ...readingContext(r),
    ...score(r.moaas),
  };
}

/** The CADSS-6 total of an observation check, id `<check id>-cadss6-check`. */
export function toDissociationObservation(c: DissociationCheckRow): FhirResource {
  return {
    resourceType: 'Observation',
    id: `${c.id}-cadss6-check`,
    meta: metaOf(1, c.checkedAt),
    status: 'final',
    category: SURVEY,
    code: codeOf('CADSS6'),
    subject: ref('Patient', c.patientId),
    encounter: ref('Encounter', c.sessionId),
    effectiveDateTime: c.checkedAt.toISOString(),
    performer: [ref('Practitioner', c.recordedBy)],
    ...score(c.cadss6Total),
  };
}
