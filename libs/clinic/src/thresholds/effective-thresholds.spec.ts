import { DEFAULT_THRESHOLDS } from '#test/thresholds';
import { effectiveThresholds } from './effective-thresholds.js';

const CLINIC = DEFAULT_THRESHOLDS;

describe('effective thresholds: patient over protocol over clinic', () => {
  it.each([
    ['the clinic alone', {}, null, { warning: 160, critical: 180 }],
    ['the protocol over the clinic', { systolic: { high: { warning: 150 } } }, null, { warning: 150, critical: 180 }],
    [
      'the patient over the protocol',
      { systolic: { high: { warning: 150 } } },
      { systolic: { high: { warning: 170 } } },
      { warning: 170, critical: 180 },
    ],
    ['the patient over the clinic', {}, { systolic: { high: { critical: 190 } } }, { warning: 160, critical: 190 }],
  ])('%s', (_name, protocol, patient, systolicHigh) => {
    const t = effectiveThresholds({ thresholds: CLINIC }, { thresholds: protocol }, patient);
    expect(t.systolic.high).toEqual(systolicHigh);
    expect(t.heartRate).toEqual(CLINIC.heartRate);
  });
});
