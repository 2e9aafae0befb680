import type { ThresholdSet } from '../../libs/clinic/src/protocols/index.js';

/** The default threshold set (docs/clinical-rules.md section 3), for the unit tables of the threshold rules. */
export const DEFAULT_THRESHOLDS: ThresholdSet = {
  systolic: { high: { warning: 160, critical: 180 }, low: { warning: 90, critical: 80 }, riseWarning: 40 },
  diastolic: { high: { warning: 100, critical: 110 }, riseWarning: 25 },
  heartRate: { high: { warning: 110, critical: 130 }, low: { warning: 50, critical: 40 } },
  spo2: { low: { warning: 94, critical: 90 } },
  respiratoryRate: { high: { warning: 24, critical: null }, low: { warning: 10, critical: 8 } },
  moaas: { dropWarning: 1, criticalAtOrBelow: 1 },
  deviceWarningConsecutive: 2,
  deviceWarningWindowMin: 5,
};
