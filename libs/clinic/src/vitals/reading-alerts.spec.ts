import { DEFAULT_THRESHOLDS } from '#test/thresholds';
import { evaluateReading } from './evaluate.js';
import { alertsOfReading } from './reading-alerts.js';

const T = DEFAULT_THRESHOLDS;

describe('the alerts of one reading (clinical-rules.md section 3: one blood-pressure alert per reading)', () => {
  it.each([
    [{ systolic: 185, diastolic: 110 }, [['blood-pressure', 'critical', 'BP 185/110: systolic BP 185 ≥ 180; diastolic BP 110 ≥ 110']]],
    [{ systolic: 185, diastolic: 100 }, [['blood-pressure', 'critical', 'BP 185/100: systolic BP 185 ≥ 180; diastolic BP 100 ≥ 100']]],
    [{ systolic: 165, diastolic: 80 }, [['blood-pressure', 'warning', 'BP 165/80: systolic BP 165 ≥ 160']]],
    [{ systolic: 150, diastolic: 112 }, [['blood-pressure', 'critical', 'BP 150/112: diastolic BP 112 ≥ 110']]],
    [{ systolic: 120, diastolic: 80 }, []],
    [
      { systolic: 185, diastolic: 110, spo2: 88 },
      [
        ['blood-pressure', 'critical', 'BP 185/110: systolic BP 185 ≥ 180; diastolic BP 110 ≥ 110'],
        ['spo2', 'critical', 'SpO2 88 < 90'],
      ],
    ],
  ])('%j → %j', (reading, expected) => {
    const alerts = alertsOfReading(evaluateReading(reading, null, T), reading);
    expect(alerts.map((a) => [a.measure, a.level, a.message])).toEqual(expected);
  });
});
