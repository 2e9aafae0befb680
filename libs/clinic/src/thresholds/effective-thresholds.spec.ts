import type { ThresholdSet } from '../protocols/index.js';
import { effectiveThresholds } from './effective-thresholds.js';

// clinical-rules.md section 3 defaults.
const CLINIC: ThresholdSet = {
  systolic: { high: { warning: 160, critical: 180 }, low: { warning: 90, critical: 80 }, riseWarning: 40 },
  diastolic: { high: { warning: 100, critical: 110 }, riseWarning: 25 },
  heartRate: { high: { warning: 110, critical: 130 }, low: { warning: 50, critical: 40 } },
  spo2: { low: { warning: 94, critical: 90 } },
  respiratoryRate: { high: { warning: 24, critical: null }, low: { warning: 10, critical: 8 } },
  moaas: { dropWarning: 1, criticalAtOrBelow: 1 },
  deviceWarningConsecutive: 2,
  deviceWarningWindowMin: 5,
};

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
