import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data migration (the schema is in PatientsConsentProtocols and ClinicSettings): Vigil's default
 * clinic settings (clinical-rules.md section 3 thresholds, alert escalation, chair turnover) and
 * its four default protocols of section 1, version 1, shared by every clinic until it edits
 * them. The figures are a snapshot on purpose; a later change ships as a new version.
 */
const CLINIC = 'CLINIC: set by the medical director';

// clinical-rules.md section 3: the clinic-level defaults; protocols and patients override them.
const THRESHOLDS = {
  systolic: { high: { warning: 160, critical: 180 }, low: { warning: 90, critical: 80 }, riseWarning: 40 },
  diastolic: { high: { warning: 100, critical: 110 }, riseWarning: 25 },
  heartRate: { high: { warning: 110, critical: 130 }, low: { warning: 50, critical: 40 } },
  spo2: { low: { warning: 94, critical: 90 } },
  respiratoryRate: { high: { warning: 24, critical: null }, low: { warning: 10, critical: 8 } },
  moaas: { dropWarning: 1, criticalAtOrBelow: 1 },
  deviceWarningConsecutive: 2,
  deviceWarningWindowMin: 5,
};

const THRESHOLD_SOURCES = {
  'thresholds.systolic.high.critical': 'SOURCED: ACC/AHA hypertensive crisis band; Murrough 2013 stop at 180/115',
  'thresholds.systolic.riseWarning': 'LABEL: Spravato "substantial increase" in blood pressure',
  'thresholds.systolic.high.warning': CLINIC,
  'thresholds.systolic.low': CLINIC,
  'thresholds.diastolic.high': 'SOURCED: ≥ 180/110 "severe" convention',
  'thresholds.heartRate': `${CLINIC} (no source found)`,
  'thresholds.spo2': 'SOURCED: desaturation definitions in sedation literature',
  'thresholds.respiratoryRate': CLINIC,
  'thresholds.moaas.dropWarning': 'LABEL: sedation is any drop in MOAA/S from pre-dose',
  'thresholds.moaas.criticalAtOrBelow': CLINIC,
  'thresholds.deviceWarningConsecutive': `${CLINIC} (alarm-fatigue practice)`,
};

const KETAMINE_PRE_SESSION = {
  baselineMaxAgeMin: 30,
  baselineMaxSystolic: 140,
  baselineMaxDiastolic: 90,
  escortRequired: true,
  fastingFoodMin: null,
  fastingLiquidsMin: null,
  remsEnrollmentRequired: false,
  prescriberOnSiteRequired: false,
};

const SETTINGS_SOURCES = {
  ...THRESHOLD_SOURCES,
  'escalation.sessionAnesthesiologistAfterMin': CLINIC,
  'escalation.allAnesthesiologistsAfterMin': CLINIC,
  appointmentTurnoverMin: CLINIC,
};

const COMMON_SOURCES = {
  'preSession.baselineMaxSystolic': 'LABEL: Spravato "as a general guide >140/90 … a decision to delay"',
  'preSession.baselineMaxAgeMin': 'clinical-rules.md section 2: baseline within 30 min',
  weightMaxAgeDays: CLINIC,
  minAgeYears: `${CLINIC} (adults only, as the esketamine label)`,
  'vitals.overdueAfterMin': CLINIC,
  'vitals.dischargeMaxAgeMin': 'clinical-rules.md section 4: latest vitals at most 15 min old',
  'vitals.checkpointWindowMin': CLINIC,
  'vitals.observationEveryMin': 'SOURCED: Riva-Posse 2018',
};

const RACEMIC_LIMITS = { minMgPerKg: 0.1, maxMgPerKg: 1.0, maxStepMgPerKg: 0.25 };
const RACEMIC_LIMIT_SOURCE = { doseLimits: 'SOURCED: Andrade 2017, Fava 2018 (0.1–1.0 mg/kg)' };

const PROTOCOLS = [
  {
    key: 'ketamine-iv-standard',
    name: 'Ketamine IV, 0.5 mg/kg over 40 minutes',
    route: 'iv',
    doseRule: { kind: 'weight-based', steps: [{ sessions: null, mgPerKg: 0.5 }] },
    doseLimits: RACEMIC_LIMITS,
    durationMin: 40,
    minObservationMin: 30,
    observationFloorMin: null,
    observationFrom: 'dosing-end',
    vitals: {
      duringDosingEveryMin: 10,
      observationEveryMin: 15,
      checkpointsMin: [],
      overdueAfterMin: 5,
      dischargeMaxAgeMin: 15,
      checkpointWindowMin: { before: 5, after: 10 },
    },
    preSession: KETAMINE_PRE_SESSION,
    requiredConsentKinds: ['ketamine-off-label'],
    absoluteContraindications: ['ketamine-hypersensitivity'],
    induction: { phases: [{ sessions: 6, perWeek: 3 }], minDaysApart: 1, windowDays: { min: 12, max: 21 } },
    maintenance: { intervalDays: 28, allowedIntervalDays: [28, 35, 42] },
    sources: {
      doseRule: 'SOURCED: APA consensus (Sanacora 2017), 0.5 mg/kg actual body weight',
      durationMin: 'SOURCED: APA consensus, 40-minute infusion',
      minObservationMin: `${CLINIC} (practice 20–60 min)`,
      induction: 'SOURCED: Murrough 2013, 6 infusions over 12 days',
      maintenance: `${CLINIC} (practice every 4–6 weeks)`,
      'vitals.duringDosingEveryMin': 'SOURCED: Riva-Posse 2018',
      ...RACEMIC_LIMIT_SOURCE,
      ...COMMON_SOURCES,
    },
  },
  {
    key: 'ketamine-iv-escalation',
    name: 'Ketamine IV, 0.5 mg/kg × 3 then 0.75 mg/kg × 3 over 45 minutes',
    route: 'iv',
    doseRule: {
      kind: 'weight-based',
      steps: [
        { sessions: 3, mgPerKg: 0.5 },
        { sessions: null, mgPerKg: 0.75 },
      ],
    },
    doseLimits: RACEMIC_LIMITS,
    durationMin: 45,
    minObservationMin: 30,
    observationFloorMin: null,
    observationFrom: 'dosing-end',
    vitals: {
      duringDosingEveryMin: 10,
      observationEveryMin: 15,
      checkpointsMin: [],
      overdueAfterMin: 5,
      dischargeMaxAgeMin: 15,
      checkpointWindowMin: { before: 5, after: 10 },
    },
    preSession: KETAMINE_PRE_SESSION,
    requiredConsentKinds: ['ketamine-off-label'],
    absoluteContraindications: ['ketamine-hypersensitivity'],
    induction: { phases: [{ sessions: 6, perWeek: 2 }], minDaysApart: 1, windowDays: null },
    maintenance: { intervalDays: 28, allowedIntervalDays: [28, 35, 42] },
    sources: {
      doseRule: 'SOURCED: Cusin 2017, 0.5 mg/kg × 3 then 0.75 mg/kg × 3',
      durationMin: 'SOURCED: Cusin 2017, 45-minute infusion',
      minObservationMin: CLINIC,
      induction: 'SOURCED: Cusin 2017, twice weekly over 3 weeks',
      maintenance: CLINIC,
      'vitals.duringDosingEveryMin': 'SOURCED: Riva-Posse 2018',
      ...RACEMIC_LIMIT_SOURCE,
      ...COMMON_SOURCES,
    },
  },
  {
    key: 'ketamine-im',
    name: 'Ketamine IM, 0.5 mg/kg',
    route: 'im',
    doseRule: { kind: 'weight-based', steps: [{ sessions: null, mgPerKg: 0.5 }] },
    doseLimits: RACEMIC_LIMITS,
    durationMin: null,
    minObservationMin: 30,
    observationFloorMin: null,
    observationFrom: 'dosing-end',
    vitals: {
      duringDosingEveryMin: null,
      observationEveryMin: 15,
      checkpointsMin: [],
      overdueAfterMin: 5,
      dischargeMaxAgeMin: 15,
      checkpointWindowMin: { before: 5, after: 10 },
    },
    preSession: KETAMINE_PRE_SESSION,
    requiredConsentKinds: ['ketamine-off-label'],
    absoluteContraindications: ['ketamine-hypersensitivity'],
    induction: { phases: [{ sessions: 6, perWeek: 3 }], minDaysApart: 1, windowDays: null },
    maintenance: { intervalDays: 28, allowedIntervalDays: [28, 35, 42] },
    sources: {
      doseRule: 'SOURCED: Chilukuri 2014, 0.5 mg/kg (range 0.25–0.5)',
      minObservationMin: 'SOURCED: practice, 30 min',
      induction: CLINIC,
      maintenance: CLINIC,
      ...RACEMIC_LIMIT_SOURCE,
      ...COMMON_SOURCES,
    },
  },
  {
    key: 'esketamine-trd',
    name: 'Esketamine nasal spray (Spravato) for treatment-resistant depression',
    route: 'intranasal',
    doseRule: { kind: 'fixed-devices', deviceMg: 28, allowedDosesMg: [56, 84], firstDoseMg: 56, minutesBetweenDevices: 5 },
    doseLimits: null,
    durationMin: null,
    minObservationMin: 120,
    observationFloorMin: 120,
    observationFrom: 'first-dose',
    vitals: {
      duringDosingEveryMin: null,
      observationEveryMin: 15,
      checkpointsMin: [40],
      overdueAfterMin: 5,
      dischargeMaxAgeMin: 15,
      checkpointWindowMin: { before: 5, after: 10 },
    },
    preSession: {
      ...KETAMINE_PRE_SESSION,
      fastingFoodMin: 120,
      fastingLiquidsMin: 30,
      remsEnrollmentRequired: true,
      prescriberOnSiteRequired: true,
    },
    requiredConsentKinds: ['esketamine-rems-enrollment'],
    absoluteContraindications: [
      'aneurysmal-vascular-disease',
      'arteriovenous-malformation',
      'intracerebral-hemorrhage',
      'ketamine-hypersensitivity',
    ],
    induction: {
      phases: [
        { sessions: 8, perWeek: 2 },
        { sessions: 4, perWeek: 1 },
      ],
      minDaysApart: 1,
      windowDays: null,
    },
    maintenance: { intervalDays: 7, allowedIntervalDays: [7, 14] },
    sources: {
      ...COMMON_SOURCES,
      doseRule: 'LABEL: 56 mg first session, then 56 or 84 mg; 28 mg per device, 5 min between devices',
      minAgeYears: 'LABEL: Spravato is approved for adults',
      minObservationMin: 'LABEL minimum (observationFloorMin): at least 2 hours from the first device, no override',
      'vitals.checkpointsMin': 'LABEL: blood pressure at 40 minutes after dosing',
      'preSession.fastingFoodMin': 'LABEL: no food 2 h before',
      'preSession.fastingLiquidsMin': 'LABEL: no liquids 30 min before',
      'preSession.prescriberOnSiteRequired': 'LABEL: Spravato REMS, administered under supervision of a healthcare provider',
      'preSession.remsEnrollmentRequired': 'LABEL: Spravato REMS',
      induction: 'LABEL: twice weekly weeks 1–4, weekly weeks 5–8',
      maintenance: 'LABEL: weekly or every 2 weeks',
      requiredConsentKinds: 'LABEL: Spravato REMS, patient enrollment signed by patient and prescriber',
      absoluteContraindications: 'LABEL: Spravato contraindications',
    },
  },
];

export class SeedDefaults1795298813571 implements MigrationInterface {
  name = 'SeedDefaults1795298813571';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "clinic_settings" ("clinic_id", "thresholds", "escalation", "appointment_turnover_min", "sources") VALUES (NULL, $1, $2, 15, $3)`,
      [
        JSON.stringify(THRESHOLDS),
        JSON.stringify({ sessionAnesthesiologistAfterMin: 2, allAnesthesiologistsAfterMin: 5 }),
        JSON.stringify(SETTINGS_SOURCES),
      ],
    );
    for (const p of PROTOCOLS) {
      await queryRunner.query(
        `INSERT INTO "protocol_versions" ("clinic_id", "key", "version", "name", "route", "dose_rule", "dose_limits", "duration_min",
           "min_observation_min", "observation_floor_min", "observation_from", "min_age_years", "weight_max_age_days", "vitals",
           "pre_session", "required_consent_kinds", "absolute_contraindications", "induction", "maintenance", "thresholds", "sources", "reason")
         VALUES (NULL, $1, 1, $2, $3, $4, $5, $6, $7, $8, $9, 18, 30, $10, $11, $12, $13, $14, $15, $16, $17, 'Vigil default (clinical-rules.md section 1)')`,
        [
          p.key,
          p.name,
          p.route,
          JSON.stringify(p.doseRule),
          p.doseLimits ? JSON.stringify(p.doseLimits) : null,
          p.durationMin,
          p.minObservationMin,
          p.observationFloorMin,
          p.observationFrom,
          JSON.stringify(p.vitals),
          JSON.stringify(p.preSession),
          p.requiredConsentKinds,
          p.absoluteContraindications,
          JSON.stringify(p.induction),
          JSON.stringify(p.maintenance),
          JSON.stringify({}),
          JSON.stringify(p.sources),
        ],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The seeded rows are immutable by trigger; lift it for the revert only.
    await queryRunner.query(`ALTER TABLE "protocol_versions" DISABLE TRIGGER tr_protocol_versions_immutable`);
    await queryRunner.query(`DELETE FROM "protocol_versions" WHERE "clinic_id" IS NULL AND "version" = 1`);
    await queryRunner.query(`ALTER TABLE "protocol_versions" ENABLE TRIGGER tr_protocol_versions_immutable`);
    await queryRunner.query(`DELETE FROM "clinic_settings" WHERE "clinic_id" IS NULL`);
  }
}
