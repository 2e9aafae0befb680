import { sameValues } from './corrections.js';

const stored = { systolic: 128, diastolic: 80, heartRate: 72, spo2: 98, respiratoryRate: null, temperatureC: 36.8, moaas: 5 };

describe('a device reading sent again: a resend or a correction (clinical-rules.md section 3)', () => {
  it.each([
    ['the same values', { ...stored }, true],
    ['an absent value the stored one lacks too', { ...stored, respiratoryRate: undefined }, true],
    ['a corrected systolic', { ...stored, systolic: 186 }, false],
    ['a value added', { ...stored, respiratoryRate: 14 }, false],
    ['a value dropped', { ...stored, moaas: null }, false],
    ['a corrected temperature', { ...stored, temperatureC: 37.8 }, false],
  ])('%s → resend %s', (_what, sent, resend) => {
    expect(sameValues(stored, sent)).toBe(resend);
  });
});
