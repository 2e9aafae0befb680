import type { PreSessionRules } from '../protocols/index.js';
import { preSessionProblems, type GateFacts } from './pre-session-gate.js';

const now = new Date('2026-11-21T10:00:00Z');
const minAgo = (m: number) => new Date(now.getTime() - m * 60_000);
// clinical-rules.md section 2 as seeded: ketamine and esketamine.
const KETAMINE: PreSessionRules = {
  baselineMaxAgeMin: 30,
  baselineMaxSystolic: 140,
  baselineMaxDiastolic: 90,
  escortRequired: true,
  fastingFoodMin: null,
  fastingLiquidsMin: null,
  remsEnrollmentRequired: false,
  prescriberOnSiteRequired: false,
};
const ESKETAMINE: PreSessionRules = {
  ...KETAMINE,
  fastingFoodMin: 120,
  fastingLiquidsMin: 30,
  remsEnrollmentRequired: true,
  prescriberOnSiteRequired: true,
};
const CHECKS = {
  transportHome: 'escort' as const,
  escortName: 'Rui',
  lastFoodAt: minAgo(180).toISOString(),
  lastLiquidsAt: minAgo(45).toISOString(),
  pregnancyStatus: 'not-pregnant' as const,
  cssrsScreener: 'negative' as const,
  notes: null,
  recordedBy: 'n',
  recordedAt: minAgo(5).toISOString(),
};
const OK: GateFacts = {
  now,
  rules: KETAMINE,
  missingConsentKinds: [],
  remsEnrollmentActive: false,
  contraindications: [],
  unacknowledgedCautions: [],
  baseline: { systolic: 128, diastolic: 82, measuredAt: minAgo(10) },
  baselineVitals: { 'blood-pressure': minAgo(10), 'heart-rate': minAgo(10), spo2: minAgo(10) },
  preChecks: CHECKS,
  pregnancyRelevant: true,
  prescriberPresent: false,
  cssrsUnreviewed: false,
};
const codes = (f: Partial<GateFacts>) => preSessionProblems({ ...OK, ...f }).map((p) => `${p.code}${p.overridable ? '~' : ''}`);

describe('pre-session gate (section 2)', () => {
  it.each<[string, Partial<GateFacts>, string[]]>([
    ['everything in order', {}, []],
    ['no consent', { missingConsentKinds: ['ketamine-off-label'] }, ['CONSENT_MISSING']],
    ['absolute contraindication', { contraindications: ['ketamine-hypersensitivity'] }, ['CONTRAINDICATION']],
    ['relative caution not acknowledged (soft)', { unacknowledgedCautions: ['psychosis-history'] }, ['RELATIVE_CAUTION~']],
    ['no baseline', { baseline: null }, ['BASELINE_VITALS_MISSING']],
    ['baseline 31 minutes old', { baseline: { systolic: 120, diastolic: 80, measuredAt: minAgo(31) } }, ['BASELINE_VITALS_MISSING']],
    ['baseline 150/95 (soft)', { baseline: { systolic: 150, diastolic: 95, measuredAt: minAgo(5) } }, ['BASELINE_BP_HIGH~']],
    ['baseline 140/90 is fine', { baseline: { systolic: 140, diastolic: 90, measuredAt: minAgo(5) } }, []],
    ['baseline 141/80', { baseline: { systolic: 141, diastolic: 80, measuredAt: minAgo(5) } }, ['BASELINE_BP_HIGH~']],
    ['baseline 130/91', { baseline: { systolic: 130, diastolic: 91, measuredAt: minAgo(5) } }, ['BASELINE_BP_HIGH~']],
    ['no checklist', { preChecks: null }, ['PRE_CHECKS_MISSING']],
    ['no escort', { preChecks: { ...CHECKS, transportHome: 'none' } }, ['ESCORT_NOT_CONFIRMED']],
    ['pregnancy unknown', { preChecks: { ...CHECKS, pregnancyStatus: 'unknown' } }, ['PREGNANCY_STATUS_MISSING']],
    ['pregnancy irrelevant', { pregnancyRelevant: false, preChecks: { ...CHECKS, pregnancyStatus: null } }, []],
    ['pregnant (soft)', { preChecks: { ...CHECKS, pregnancyStatus: 'pregnant' } }, ['PREGNANT~']],
    ['C-SSRS high risk (soft)', { preChecks: { ...CHECKS, cssrsScreener: 'high-risk' } }, ['CSSRS_HIGH_RISK~']],
    ['a high-risk C-SSRS screener not reviewed', { cssrsUnreviewed: true }, ['CSSRS_REVIEW_REQUIRED']],
    ['esketamine in order', { rules: ESKETAMINE, remsEnrollmentActive: true, prescriberPresent: true }, []],
    [
      'esketamine: ate 90 min ago',
      {
        rules: ESKETAMINE,
        remsEnrollmentActive: true,
        prescriberPresent: true,
        preChecks: { ...CHECKS, lastFoodAt: minAgo(90).toISOString() },
      },
      ['FASTING_NOT_MET'],
    ],
    [
      'esketamine: drank 20 min ago',
      {
        rules: ESKETAMINE,
        remsEnrollmentActive: true,
        prescriberPresent: true,
        preChecks: { ...CHECKS, lastLiquidsAt: minAgo(20).toISOString() },
      },
      ['FASTING_NOT_MET'],
    ],
    [
      'esketamine: fasting not recorded',
      { rules: ESKETAMINE, remsEnrollmentActive: true, prescriberPresent: true, preChecks: { ...CHECKS, lastFoodAt: null } },
      ['FASTING_NOT_RECORDED'],
    ],
    ['esketamine: no REMS, no prescriber', { rules: ESKETAMINE }, ['REMS_ENROLLMENT_MISSING', 'PRESCRIBER_NOT_PRESENT']],
    [
      'everything wrong at once',
      {
        rules: ESKETAMINE,
        missingConsentKinds: ['esketamine-rems-enrollment'],
        contraindications: ['arteriovenous-malformation'],
        unacknowledgedCautions: ['pregnancy'],
        baseline: null,
        preChecks: null,
      },
      [
        'CONSENT_MISSING',
        'CONTRAINDICATION',
        'RELATIVE_CAUTION~',
        'BASELINE_VITALS_MISSING',
        'PRE_CHECKS_MISSING',
        'REMS_ENROLLMENT_MISSING',
        'PRESCRIBER_NOT_PRESENT',
      ],
    ],
  ])('%s', (_label, facts, expected) => {
    expect(codes(facts)).toEqual(expected);
  });
});

describe('BASELINE_VITALS_MISSING says what is missing', () => {
  const missing = (f: Partial<GateFacts>) => preSessionProblems({ ...OK, ...f }).find((p) => p.code === 'BASELINE_VITALS_MISSING');
  it.each<[string, Partial<GateFacts>, string]>([
    [
      'a cuff reading only',
      { baseline: null, baselineVitals: { 'blood-pressure': minAgo(5), 'heart-rate': null, spo2: null } },
      'no heart rate, no SpO2 measured before dosing',
    ],
    [
      'nothing at all',
      { baseline: null, baselineVitals: { 'blood-pressure': null, 'heart-rate': null, spo2: null } },
      'no blood pressure, no heart rate, no SpO2',
    ],
    [
      'each measured, never within a minute',
      { baseline: null, baselineVitals: { 'blood-pressure': minAgo(5), 'heart-rate': minAgo(3), spo2: minAgo(3) } },
      'not measured within a minute of one another',
    ],
    ['a set 31 minutes old', { baseline: { systolic: 120, diastolic: 80, measuredAt: minAgo(31) } }, 'the latest was taken 31 min ago'],
  ])('%s', (_label, facts, says) => {
    expect(missing(facts)?.message).toContain(says);
  });

  it('lists each vital with when it was last measured', () => {
    const p = missing({ baseline: null, baselineVitals: { 'blood-pressure': minAgo(5), 'heart-rate': null, spo2: null } });
    expect(p?.vitals).toEqual([
      { vital: 'blood-pressure', lastMeasuredAt: minAgo(5).toISOString(), minutesAgo: 5 },
      { vital: 'heart-rate', lastMeasuredAt: null, minutesAgo: null },
      { vital: 'spo2', lastMeasuredAt: null, minutesAgo: null },
    ]);
  });
});
