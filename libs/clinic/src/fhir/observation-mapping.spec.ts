import { fhirErrors } from '#test/fhir-validate';
import { intersectKinds, kindsOfCategory, kindsOfCode, parseObservationId } from './observation-kinds.js';
import {
  toAssessmentObservation,
  toDissociationObservation,
  toSedationObservation,
  type AssessmentRow,
  type DissociationCheckRow,
} from './survey-observations.js';
import type { VitalRow } from './vital-observations.js';
import { toWeightObservation, type WeightRow } from './weight-observation.js';

/*
 * Body weights and assessment scores as Observations, each validated by @medplum/core (base R4 and
 * each declared profile) and FHIR.js; and what `category=` and `code=` select among every kind.
 */

const CLINIC = '3b1f0c2e-8d4a-4c6b-9e1f-2a3b4c5d6e7f';
const PATIENT = '7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60';
const ROW = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const SESSION = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
const NURSE = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const at = new Date('2026-11-29T19:28:12.000Z');

const weight = (extra: Partial<WeightRow> = {}): WeightRow => ({
  id: ROW,
  patientId: PATIENT,
  weightKg: 72.5,
  enteredValue: 72.5,
  enteredUnit: 'kg',
  measuredAt: at,
  createdAt: at,
  recordedBy: NURSE,
  ...extra,
});

const assessment = (extra: Partial<AssessmentRow> = {}): AssessmentRow => ({
  id: ROW,
  patientId: PATIENT,
  sessionId: null,
  instrument: 'PHQ9',
  total: 14,
  band: 'moderate',
  administeredAt: at,
  recordedAt: at,
  recordedBy: NURSE,
  ...extra,
});

const valid = (resource: Record<string, unknown> & { resourceType: string }) => expect(fhirErrors(resource)).toEqual([]);

describe('FHIR body-weight Observation from a weight', () => {
  it.each([
    ['entered in kilograms', weight(), 72.5, undefined],
    [
      'entered in pounds: served in kg, the entry in a note',
      weight({ weightKg: 74.843, enteredValue: 165, enteredUnit: 'lb' }),
      74.843,
      'Entered as 165 lb',
    ],
  ])('%s', (_label, row, kg, note) => {
    const o = toWeightObservation(row);
    valid(o);
    expect(o).toMatchObject({
      id: `${ROW}-weight`,
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/bodyweight'] },
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      valueQuantity: { value: kg, system: 'http://unitsofmeasure.org', code: 'kg' },
      performer: [{ reference: `Practitioner/${NURSE}` }],
    });
    expect((o.note as { text: string }[] | undefined)?.[0]?.text).toBe(note);
  });

  it('the validators refuse a body weight without its LOINC code or its value (the profile needs both)', () => {
    const o = toWeightObservation(weight());
    expect(fhirErrors({ ...o, code: { coding: [{ system: 'http://loinc.org', code: '3141-9' }] } }).join('\n')).toMatch(/bodyweight/);
    const { valueQuantity: _value, ...valueless } = o;
    expect(fhirErrors(valueless).join('\n')).toMatch(/bodyweight|vs-2/);
  });
});

describe('FHIR survey Observations from assessments, readings and observation checks', () => {
  const CASES: Array<[string, Record<string, unknown> & { resourceType: string }, string, string, number]> = [
    ['PHQ-9 total', toAssessmentObservation(assessment()), 'http://loinc.org', '44261-6', 14],
    [
      'GAD-7 total in a session',
      toAssessmentObservation(assessment({ instrument: 'GAD7', total: 6, band: 'mild', sessionId: SESSION })),
      'http://loinc.org',
      '70274-6',
      6,
    ],
    [
      'CADSS-6 total (no band)',
      toAssessmentObservation(assessment({ instrument: 'CADSS6', total: 9, band: null })),
      'urn:vigil:assessment',
      'CADSS6',
      9,
    ],
    [
      'MOAA/S charted with a reading',
      toSedationObservation({
        id: ROW,
        clinicId: CLINIC,
        patientId: PATIENT,
        sessionId: SESSION,
        measuredAt: at,
        recordedAt: at,
        source: 'manual',
        deviceId: null,
        recordedBy: NURSE,
        moaas: 4,
      } as VitalRow & { moaas: number }),
      'urn:vigil:assessment',
      'MOAAS',
      4,
    ],
    [
      'CADSS-6 of an observation check',
      toDissociationObservation({
        id: ROW,
        patientId: PATIENT,
        sessionId: SESSION,
        checkedAt: at,
        recordedBy: NURSE,
        cadss6Total: 3,
      } satisfies DissociationCheckRow),
      'urn:vigil:assessment',
      'CADSS6',
      3,
    ],
  ];

  it.each(CASES)('%s: a valid survey Observation with its code and score', (_label, o, system, code, score) => {
    valid(o);
    expect(o).toMatchObject({
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
      code: { coding: [{ system, code }] },
      subject: { reference: `Patient/${PATIENT}` },
      valueQuantity: { value: score, code: '{score}' },
    });
    expect(parseObservationId(o.id as string)).not.toBeNull();
  });

  it('a PHQ-9 carries its band as the interpretation and names its session when it has one', () => {
    expect(toAssessmentObservation(assessment()).interpretation).toEqual([{ text: 'moderate' }]);
    expect(toAssessmentObservation(assessment({ sessionId: SESSION })).encounter).toEqual({ reference: `Encounter/${SESSION}` });
  });
});

describe('Observation kinds: what category and code select', () => {
  const names = (m: Map<string, string>) => [...m.entries()].map(([k, v]) => (v === 'any' ? k : `${k}(${v})`)).sort();
  it.each([
    ['category=vital-signs', [kindsOfCategory([{ system: undefined, code: 'vital-signs' }])], ['bp', 'hr', 'rr', 'spo2', 'temp', 'weight']],
    ['category=survey', [kindsOfCategory([{ system: undefined, code: 'survey' }])], ['cadss6', 'cadss6-check', 'gad7', 'moaas', 'phq9']],
    ['code=loinc|29463-7', [kindsOfCode([{ system: 'http://loinc.org', code: '29463-7' }])], ['weight']],
    [
      'code=44261-6,70274-6',
      [
        kindsOfCode([
          { system: undefined, code: '44261-6' },
          { system: undefined, code: '70274-6' },
        ]),
      ],
      ['gad7', 'phq9'],
    ],
    ['code=urn:vigil:assessment|CADSS6', [kindsOfCode([{ system: 'urn:vigil:assessment', code: 'CADSS6' }])], ['cadss6', 'cadss6-check']],
    ['code=MDC 147842 (monitor readings only)', [kindsOfCode([{ system: undefined, code: '147842' }])], ['hr(device)']],
    [
      'category=survey&code=8867-4 (nothing)',
      [kindsOfCategory([{ system: undefined, code: 'survey' }]), kindsOfCode([{ system: undefined, code: '8867-4' }])],
      [],
    ],
  ])('%s', (_label, selections, expected) => expect(names(intersectKinds(selections))).toEqual(expected));

  it.each([
    [`${ROW}-weight`, 'weight'],
    [`${ROW}-cadss6-check`, 'cadss6-check'],
    [`${ROW.toUpperCase()}-phq9`, 'phq9'],
  ])('%s is the id of a %s Observation', (id, kind) => expect(parseObservationId(id)).toEqual({ rowId: ROW, kind }));
});
