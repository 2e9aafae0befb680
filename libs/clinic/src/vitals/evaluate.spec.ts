import { DEFAULT_THRESHOLDS } from '#test/thresholds';
import { breachesThatAlert, evaluateReading, type Breach, type ReadingValues } from './evaluate.js';

const T = DEFAULT_THRESHOLDS;
const BASELINE: ReadingValues = { systolic: 120, diastolic: 75, heartRate: 70, spo2: 98, moaas: 5 };
const summary = (b: Breach[]) => b.map((x) => `${x.measure}:${x.level}:${x.rule}`);

describe('threshold evaluation (section 3)', () => {
  it.each<[string, ReadingValues, ReadingValues | null, string[]]>([
    ['normal', { systolic: 130, diastolic: 80, heartRate: 80, spo2: 97, respiratoryRate: 14, moaas: 5 }, BASELINE, []],
    ['systolic 159 and 160', { systolic: 159, diastolic: 80 }, null, []],
    ['systolic 160 warns', { systolic: 160, diastolic: 80 }, null, ['systolic:warning:high']],
    ['systolic 179 warns', { systolic: 179, diastolic: 80 }, null, ['systolic:warning:high']],
    ['systolic 180 is critical', { systolic: 180, diastolic: 80 }, null, ['systolic:critical:high']],
    [
      '185/100: critical systolic, warning diastolic',
      { systolic: 185, diastolic: 100 },
      BASELINE,
      ['systolic:critical:high', 'diastolic:warning:high'],
    ],
    ['diastolic 110 is critical', { systolic: 150, diastolic: 110 }, null, ['diastolic:critical:high']],
    [
      'rise of 40 from baseline 120 warns at 160… and at 150 from 110',
      { systolic: 150, diastolic: 80 },
      { systolic: 110 },
      ['systolic:warning:rise'],
    ],
    ['rise of 39 does not', { systolic: 149, diastolic: 80 }, { systolic: 110 }, []],
    ['diastolic rise of 25 warns', { systolic: 130, diastolic: 95 }, { diastolic: 70 }, ['diastolic:warning:rise']],
    ['diastolic rise of 24 does not', { systolic: 130, diastolic: 94 }, { diastolic: 70 }, []],
    ['no baseline: no rise rule', { systolic: 150, diastolic: 95 }, null, []],
    ['systolic 89 warns low', { systolic: 89, diastolic: 50 }, null, ['systolic:warning:low']],
    ['systolic 79 is critical low', { systolic: 79, diastolic: 40 }, null, ['systolic:critical:low']],
    ['systolic 90 is fine', { systolic: 90, diastolic: 60 }, null, []],
    ['heart rate 110 is fine, 111 warns', { heartRate: 111 }, null, ['heartRate:warning:high']],
    ['heart rate 110', { heartRate: 110 }, null, []],
    ['heart rate 131 is critical', { heartRate: 131 }, null, ['heartRate:critical:high']],
    ['heart rate 49 warns', { heartRate: 49 }, null, ['heartRate:warning:low']],
    ['heart rate 39 is critical', { heartRate: 39 }, null, ['heartRate:critical:low']],
    ['heart rate 40 warns only', { heartRate: 40 }, null, ['heartRate:warning:low']],
    ['SpO2 94 is fine, 93 warns', { spo2: 93 }, null, ['spo2:warning:low']],
    ['SpO2 94', { spo2: 94 }, null, []],
    ['SpO2 89 is critical', { spo2: 89 }, null, ['spo2:critical:low']],
    ['respiratory rate 9 warns', { respiratoryRate: 9 }, null, ['respiratoryRate:warning:low']],
    ['respiratory rate 7 is critical', { respiratoryRate: 7 }, null, ['respiratoryRate:critical:low']],
    ['respiratory rate 40 only warns (no critical high)', { respiratoryRate: 40 }, null, ['respiratoryRate:warning:high']],
    ['MOAA/S 4 after a pre-dose 5 is sedation', { moaas: 4 }, BASELINE, ['moaas:warning:drop']],
    ['MOAA/S 5 after 5 is fine', { moaas: 5 }, BASELINE, []],
    ['MOAA/S 1 is critical', { moaas: 1 }, BASELINE, ['moaas:critical:low']],
    ['MOAA/S 3 without a pre-dose score: nothing to compare', { moaas: 3 }, null, []],
  ])('%s', (_label, reading, baseline, expected) => {
    expect(summary(evaluateReading(reading, baseline, T))).toEqual(expected);
  });
});

describe('device warnings need 2 consecutive breaching readings within 5 min', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 10, 21, 10, min));
  const warning = evaluateReading({ systolic: 165, diastolic: 80 }, null, T);
  const critical = evaluateReading({ systolic: 185, diastolic: 80 }, null, T);
  it.each<[string, Breach[], 'manual' | 'device', { measuredAt: Date; breached: ('systolic' | 'spo2')[] }[], number]>([
    ['manual warning alerts at once', warning, 'manual', [], 1],
    ['first device warning waits', warning, 'device', [], 0],
    ['second consecutive device warning alerts', warning, 'device', [{ measuredAt: at(7), breached: ['systolic'] }], 1],
    ['previous device reading was normal', warning, 'device', [{ measuredAt: at(7), breached: [] }], 0],
    ['previous breach of another measure', warning, 'device', [{ measuredAt: at(7), breached: ['spo2'] }], 0],
    ['previous breach more than 5 min before', warning, 'device', [{ measuredAt: at(4), breached: ['systolic'] }], 0],
    [
      'the latest earlier reading decides',
      warning,
      'device',
      [
        { measuredAt: at(6), breached: ['systolic'] },
        { measuredAt: at(8), breached: [] },
      ],
      0,
    ],
    ['a device critical alerts at once', critical, 'device', [], 1],
  ])('%s', (_label, breaches, source, earlier, count) => {
    expect(breachesThatAlert(breaches, source, at(10), earlier, T)).toHaveLength(count);
  });
});
