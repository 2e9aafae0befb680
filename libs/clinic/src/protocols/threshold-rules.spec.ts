import type { ThresholdSet } from './protocol-definition.js';
import { mergeThresholds, thresholdProblems } from './threshold-rules.js';

// clinical-rules.md section 3 defaults.
const DEFAULTS: ThresholdSet = {
  systolic: { high: { warning: 160, critical: 180 }, low: { warning: 90, critical: 80 }, riseWarning: 40 },
  diastolic: { high: { warning: 100, critical: 110 }, riseWarning: 25 },
  heartRate: { high: { warning: 110, critical: 130 }, low: { warning: 50, critical: 40 } },
  spo2: { low: { warning: 94, critical: 90 } },
  respiratoryRate: { high: { warning: 24, critical: null }, low: { warning: 10, critical: 8 } },
  moaas: { dropWarning: 1, criticalAtOrBelow: 1 },
  deviceWarningConsecutive: 2,
  deviceWarningWindowMin: 5,
};

describe('threshold layers', () => {
  it('patient over protocol over clinic, leaf by leaf', () => {
    const merged = mergeThresholds(
      DEFAULTS,
      { systolic: { high: { warning: 150 } } },
      { systolic: { high: { warning: 170 } }, heartRate: { low: { warning: 45 } } },
    );
    expect(merged.systolic.high).toEqual({ warning: 170, critical: 180 });
    expect(merged.heartRate.low).toEqual({ warning: 45, critical: 40 });
    expect(merged.diastolic).toEqual(DEFAULTS.diastolic);
  });

  it('an absent layer changes nothing', () => {
    expect(mergeThresholds(DEFAULTS, null, undefined, {})).toEqual(DEFAULTS);
  });

  it.each([
    [{ systolic: { high: { warning: 'high' } } }, 'thresholds.systolic.high.warning'],
    [{ systolic: { high: { warning: 900 } } }, 'thresholds.systolic.high.warning'],
    [{ pulse: 3 }, 'thresholds.pulse'],
    [{ deviceWarningConsecutive: null }, 'thresholds.deviceWarningConsecutive'],
    [{ spo2: 94 }, 'thresholds.spo2'],
  ])('refuses %p naming %s', (value, field) => {
    expect(thresholdProblems(value, 'thresholds', true).map((p) => p.field)).toContain(field);
  });

  it('accepts the defaults as a full set, and a partial set only as an override', () => {
    expect(thresholdProblems(DEFAULTS, 'thresholds', false)).toEqual([]);
    expect(thresholdProblems({ spo2: { low: { warning: 92 } } }, 'thresholds', true)).toEqual([]);
    expect(thresholdProblems({ spo2: { low: { warning: 92 } } }, 'thresholds', false).length).toBeGreaterThan(5);
  });
});
