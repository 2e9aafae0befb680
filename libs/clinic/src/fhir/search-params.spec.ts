import { DomainError } from '#platform';
import { dateBounds, parseDateParam } from './date-param.js';
import { COUNT_MAX, parseSearch, parseTokens, patientIdOf } from './search-params.js';

const NY = 'America/New_York';
const iso = (b: { from?: Date; to?: Date }) => ({ from: b.from?.toISOString(), to: b.to?.toISOString() });
const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return (e.details[0] as { field: string }).field;
    throw e;
  }
  return undefined;
};

describe('FHIR date search values', () => {
  const CASES: Array<[string, { from?: string; to?: string }]> = [
    ['ge2026-11-29T14:30:00-05:00', { from: '2026-11-29T19:30:00.000Z' }],
    ['ge2026-11-29T19:30:00+00:00', { from: '2026-11-29T19:30:00.000Z' }],
    ['ge2026-11-29T19:30:00 00:00', { from: '2026-11-29T19:30:00.000Z' }], // a raw + arrives as a space
    ['ge2026-11-29T19:30:00Z', { from: '2026-11-29T19:30:00.000Z' }],
    ['gt2026-11-29T19:30:00Z', { from: '2026-11-29T19:30:01.000Z' }],
    ['lt2026-11-29T19:30Z', { to: '2026-11-29T19:30:00.000Z' }],
    ['le2026-11-29T19:30Z', { to: '2026-11-29T19:31:00.000Z' }],
    // Without an offset: the clinic's zone (New York is UTC-5 in November).
    ['2026-11-29', { from: '2026-11-29T05:00:00.000Z', to: '2026-11-30T05:00:00.000Z' }],
    ['eq2026-11', { from: '2026-11-01T04:00:00.000Z', to: '2026-12-01T05:00:00.000Z' }],
    ['2026', { from: '2026-01-01T05:00:00.000Z', to: '2027-01-01T05:00:00.000Z' }],
    ['ge2026-11-29T14:30', { from: '2026-11-29T19:30:00.000Z' }],
    ['eq2026-11-29T19:30:00.250Z', { from: '2026-11-29T19:30:00.250Z', to: '2026-11-29T19:30:00.251Z' }],
  ];
  it.each(CASES)('%s', (raw, expected) => expect(iso(parseDateParam('date', raw, NY))).toEqual(expected));

  it.each([
    ['ge2026-13-01'],
    ['2026-02-30'],
    ['ap2026-11-29'],
    ['ne2026-11-29'],
    ['yesterday'],
    ['ge2026-11-29T25:00Z'],
    ['ge2026-11-29T14:30:00+5'],
  ])('%s is refused naming date', (raw) => expect(fieldOf(() => parseDateParam('date', raw, NY))).toBe('date'));

  it('several values AND into the tightest range', () =>
    expect(
      iso(dateBounds('date', ['ge2026-11-29T10:00Z', 'ge2026-11-29T12:00Z', 'lt2026-11-30T00:00Z', 'le2026-11-29T20:00Z'], NY)),
    ).toEqual({
      from: '2026-11-29T12:00:00.000Z',
      to: '2026-11-29T20:01:00.000Z',
    }));
});

describe('FHIR search parameters', () => {
  it.each([
    ['system|code', 'http://loinc.org|8867-4', [{ system: 'http://loinc.org', code: '8867-4' }]],
    ['code alone (any system)', '8867-4', [{ system: undefined, code: '8867-4' }]],
    ['|code (no system)', '|8867-4', [{ system: null, code: '8867-4' }]],
    ['system| (any code)', 'http://loinc.org|', [{ system: 'http://loinc.org', code: undefined }]],
    [
      'alternatives',
      '8867-4,http://loinc.org|9279-1',
      [
        { system: undefined, code: '8867-4' },
        { system: 'http://loinc.org', code: '9279-1' },
      ],
    ],
  ])('token %s', (_label, raw, expected) => expect(parseTokens('code', raw)).toEqual(expected));

  it.each([
    ['Patient/7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60', '7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60'],
    ['7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60', '7f3c2a4e-5d1b-4e8a-9a51-1b2c3d4e5f60'],
    ['https://ehr.example/fhir/R4/Patient/abc', 'abc'],
    ['Group/abc', null],
    ['Patient/a/b', null],
  ])('patient reference %s', (raw, id) => expect(patientIdOf(raw)).toBe(id));

  it.each([
    ['_count above the cap is capped', { _count: '5000' }, { count: COUNT_MAX }],
    ['_count absent is 50', {}, { count: 50 }],
    ['_sort=-date is newest first', { _sort: '-date' }, { descending: true }],
    ['an unknown parameter is ignored and not applied', { colour: 'blue', code: '8867-4' }, { applied: [['code', '8867-4']] }],
    [
      'a repeated parameter keeps each value',
      { date: ['ge2026-11-29', 'lt2026-11-30'] },
      {
        applied: [
          ['date', 'ge2026-11-29'],
          ['date', 'lt2026-11-30'],
        ],
      },
    ],
  ])('%s', (_label, query, expected) => expect(parseSearch('Observation', query, false)).toMatchObject(expected));

  it.each([
    ['_count=0', { _count: '0' }, '_count'],
    ['_count not a number', { _count: 'ten' }, '_count'],
    ['_sort by something else', { _sort: 'code' }, '_sort'],
    ['an empty value', { code: '' }, 'code'],
    ['an unknown parameter, strictly', { colour: 'blue' }, 'colour'],
    ['a modifier Vigil does not implement, strictly', { 'code:text': 'heart' }, 'code:text'],
  ])('%s is refused naming %s', (_label, query, field) =>
    expect(fieldOf(() => parseSearch('Observation', query as Record<string, string>, true))).toBe(field),
  );
});
