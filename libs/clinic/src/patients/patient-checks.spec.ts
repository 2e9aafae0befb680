import { birthDateProblems, contactProblems } from './patient-checks.js';

describe('a patient’s birth date on the clinic’s today', () => {
  const today = '2026-11-21';
  it.each<[string, string, number | null, string[]]>([
    ['an adult', '1984-05-17', 18, []],
    ['18 today', '2008-11-21', 18, []],
    ['18 tomorrow', '2008-11-22', 18, ['at least 18 years old']],
    ['born today, no protocol to judge the age by', '2026-11-21', null, []],
    ['born tomorrow', '2026-11-22', 18, ['must not be in the future']],
    ['before 1900', '1899-12-31', 18, ['1900-01-01 or later']],
  ])('%s', (_label, dateOfBirth, minAge, expected) => {
    const problems = birthDateProblems(dateOfBirth, today, minAge);
    expect(problems.map((p) => p.field)).toEqual(expected.map(() => 'dateOfBirth'));
    expected.forEach((text, i) => expect(problems[i]?.message).toContain(text));
  });
});

describe('a contact preference needs its way of contact', () => {
  it.each<[string, Parameters<typeof contactProblems>[0], boolean]>([
    ['email with an address', { contactPreference: 'email', email: 'ana@example.org' }, false],
    ['email without one', { contactPreference: 'email', email: null }, true],
    ['email with a blank one', { contactPreference: 'email', email: '  ' }, true],
    ['phone with a number', { contactPreference: 'phone', phone: '+1 555 0100' }, false],
    ['phone without one', { contactPreference: 'phone' }, true],
    ['none', { contactPreference: 'none' }, false],
    ['not given', {}, false],
  ])('%s', (_label, patient, refused) => {
    expect(contactProblems(patient).map((p) => p.field)).toEqual(refused ? ['contactPreference'] : []);
  });
});
