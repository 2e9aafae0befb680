import { DEFAULT_THRESHOLDS } from '#test/thresholds';
import type { ThresholdOverrides } from './threshold-rules.js';
import { mergeThresholds, thresholdOrderProblems, thresholdProblems } from './threshold-rules.js';

const DEFAULTS = DEFAULT_THRESHOLDS;

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

describe('effective thresholds warn before they are critical (clinical-rules.md section 3)', () => {
  it('the defaults are in order', () => {
    expect(thresholdOrderProblems(DEFAULTS, 'thresholds', {})).toEqual([]);
  });

  it.each([
    // [edit (one layer), path named, why]
    [
      { systolic: { high: { warning: 190 } } },
      'thresholds.systolic.high.warning',
      'warning 190 above critical 180: 160–179 would stop warning',
    ],
    [{ systolic: { high: { warning: 180 } } }, 'thresholds.systolic.high.warning', 'equal: the warning level never shows'],
    [
      { heartRate: { high: { critical: 105 } } },
      'thresholds.heartRate.high.critical',
      'critical 105 below warning 110: names the critical edited',
    ],
    [{ heartRate: { high: { warning: 140 } } }, 'thresholds.heartRate.high.warning', 'warning 140 above critical 130'],
    [{ spo2: { low: { warning: 85 } } }, 'thresholds.spo2.low.warning', 'SpO2 low warning 85 below critical 90'],
    [{ spo2: { low: { critical: 95 } } }, 'thresholds.spo2.low.critical', 'SpO2 low critical 95 above warning 94'],
    [{ systolic: { low: { warning: 170 } } }, 'thresholds.systolic.low.warning', 'low warning 170 above the high warning 160'],
    [{ diastolic: { high: { warning: 115, critical: 110 } } }, 'thresholds.diastolic.high.warning', 'both edited: names the warning'],
    [{ respiratoryRate: { low: { warning: 7 } } }, 'thresholds.respiratoryRate.low.warning', 'RR low warning 7 below critical 8'],
    [{ moaas: { dropWarning: 0 } }, 'thresholds.moaas.dropWarning', 'a drop of 0 is no drop'],
    [{ systolic: { riseWarning: -5 } }, 'thresholds.systolic.riseWarning', 'a negative rise'],
  ] as Array<[ThresholdOverrides, string, string]>)('%j is refused at %s (%s)', (edit, field) => {
    const problems = thresholdOrderProblems(mergeThresholds(DEFAULTS, edit), 'thresholds', edit);
    expect(problems.map((p) => p.field)).toEqual([field]);
  });

  it.each([
    [{ systolic: { high: { warning: 170 } } }, 'tighter or looser, still in order'],
    [{ respiratoryRate: { high: { warning: 30 } } }, 'no critical: nothing to compare'],
    [{ spo2: { low: { warning: 92, critical: 88 } } }, 'both moved together'],
    [{ heartRate: { low: { warning: null } } }, 'a level switched off'],
  ] as Array<[ThresholdOverrides, string]>)('%j is accepted (%s)', (edit) => {
    expect(thresholdOrderProblems(mergeThresholds(DEFAULTS, edit), 'thresholds', edit)).toEqual([]);
  });

  it('judges the merged result: a protocol warning of 175 breaks a clinic critical lowered to 170', () => {
    const clinic = mergeThresholds(DEFAULTS, { systolic: { high: { critical: 170 } } });
    const problems = thresholdOrderProblems(
      mergeThresholds(clinic, { systolic: { high: { warning: 175 } } }),
      'thresholds',
      {
        systolic: { high: { critical: 170 } },
      },
      'with protocol ketamine-iv-standard',
    );
    expect(problems).toEqual([
      { field: 'thresholds.systolic.high.critical', message: expect.stringContaining('with protocol ketamine-iv-standard') },
    ]);
  });
});
