import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
  type Relation,
} from 'typeorm';
import { Clinic, numeric, User } from '#platform';
import type { ThresholdSet } from '../protocols/index.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Local opening intervals per weekday, "HH:MM" pairs. */
export type OpeningHours = Record<Weekday, [string, string][]>;

export interface EscalationSettings {
  /** A critical alert unacknowledged this long goes to the session's anesthesiologist (CLINIC: 2). */
  sessionAnesthesiologistAfterMin: number;
  /** …and this long to every anesthesiologist of the clinic (CLINIC: 5). */
  allAnesthesiologistsAfterMin: number;
}

/**
 * A clinic's defaults (clinical-rules.md section 3 thresholds, alert escalation, chair turnover).
 * The row without a clinic is Vigil's default, seeded by a data migration; a clinic's first edit
 * writes its own row, the default stays for everyone else.
 */
@Entity({ name: 'clinic_settings' })
@Index('ux_clinic_settings_clinic', ['clinicId'], { unique: true, where: '"clinic_id" IS NOT NULL' })
@Index('ux_clinic_settings_default', { synchronize: false })
@Check('ck_clinic_settings_delivered_dose_tolerance', `"delivered_dose_tolerance_pct" BETWEEN 1 AND 10`)
@Check('ck_clinic_settings_late_reading', `"late_reading_page_after_min" BETWEEN 1 AND 120`)
@Check('ck_clinic_settings_hl7_log_retention', `"hl7_log_retention_days" BETWEEN 1 AND 3650`)
@Check('ck_clinic_settings_cs_discrepancy_hours', `"cs_discrepancy_resolve_hours" BETWEEN 1 AND 24`)
@Check('ck_clinic_settings_cs_estimate_tolerance', `"cs_estimate_tolerance_ml" BETWEEN 0 AND 0.5`)
@Check('ck_clinic_settings_cs_retention', `"cs_record_retention_years" BETWEEN 2 AND 10`)
export class ClinicSettings {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_clinic_settings' })
  id!: string;

  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @ManyToOne(() => Clinic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'clinic_id', foreignKeyConstraintName: 'fk_clinic_settings_clinic' })
  clinic?: Relation<Clinic>;

  @Column({ type: 'jsonb' })
  thresholds!: ThresholdSet;

  @Column({ type: 'jsonb' })
  escalation!: EscalationSettings;

  @Column({ name: 'appointment_turnover_min', type: 'integer' })
  appointmentTurnoverMin!: number;

  /** Opening hours per weekday (mon…sun) in the clinic's time zone, e.g. [["08:00", "18:00"]] (CLINIC). */
  @Column({
    name: 'opening_hours',
    type: 'jsonb',
    default: () =>
      `'{"fri": [["08:00", "18:00"]], "mon": [["08:00", "18:00"]], "sat": [], "sun": [], "thu": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]], "wed": [["08:00", "18:00"]]}'`,
  })
  openingHours!: OpeningHours;

  /** clinical-rules.md section 7: a check-in call this long after every session (CLINIC: 24 h). */
  @Column({ name: 'check_in_call_after_hours', type: 'integer', default: 24 })
  checkInCallAfterHours!: number;

  /** Spravato REMS: the Patient Monitoring Form within 7 days of the session (LABEL) … */
  @Column({ name: 'rems_form_due_days', type: 'integer', default: 7 })
  remsFormDueDays!: number;

  /** … escalated while still open at day 5 (clinical-rules.md section 7). */
  @Column({ name: 'rems_form_escalate_days', type: 'integer', default: 5 })
  remsFormEscalateDays!: number;

  /** PHQ-9 after the last induction session: 24 h, 7 and 28 days (clinical-rules.md section 5). */
  @Column({ name: 'phq9_after_induction_hours', type: 'integer', array: true, default: () => "'{24,168,672}'" })
  phq9AfterInductionHours!: number[];

  /** Consent expiry: a reminder task this many days before (clinical-rules.md section 7: 30). */
  @Column({ name: 'consent_expiry_reminder_days', type: 'integer', default: 30 })
  consentExpiryReminderDays!: number;

  /** A follow-up still open this many hours after it came due is escalated to the administrators (CLINIC: 24). */
  @Column({ name: 'follow_up_overdue_escalation_hours', type: 'integer', default: 24 })
  followUpOverdueEscalationHours!: number;

  /** Patient appointment reminders this many hours before (issue 6: 24 h). */
  @Column({ name: 'appointment_reminder_hours', type: 'integer', default: 24 })
  appointmentReminderHours!: number;

  /** With no score before the first dose, one taken this many minutes after it is the outcome baseline (clinical-rules.md section 5: 60). */
  @Column({ name: 'outcome_baseline_window_min', type: 'integer', default: 60 })
  outcomeBaselineWindowMin!: number;

  /**
   * A delivered dose further than this from the dose drawn up needs a reason at the end of dosing or
   * its abort, in % (CLINIC: 5; clinical-rules.md section 8 gives the reasoning): half the ±10 %
   * accepted for a compounded preparation (USP <797>), twice what a minute of charting delay makes on
   * a 40-minute infusion (2.5 %).
   */
  @Column({ name: 'delivered_dose_tolerance_pct', type: 'integer', default: 5 })
  deliveredDoseTolerancePct!: number;

  /**
   * A monitor's reading that arrives more than this many minutes after it was measured is stored,
   * judged and shown, and raises no alert (CLINIC: 10): by then the monitor has measured again, and
   * a page about the patient's state a quarter of an hour ago would send someone to a stale number.
   */
  @Column({ name: 'late_reading_page_after_min', type: 'integer', default: 10 })
  lateReadingPageAfterMin!: number;

  /**
   * Days the monitor feed's raw message log (hl7_messages) is kept (CLINIC: 30). The log is for
   * diagnosing a feed and carries patient identifiers (PID); the readings and the audit trail are
   * the record and are kept. A message an unbound reading came from stays as long as that reading.
   */
  @Column({ name: 'hl7_log_retention_days', type: 'integer', default: 30 })
  hl7LogRetentionDays!: number;

  /**
   * A controlled-substance discrepancy is resolved within this many hours of being found, else it is
   * escalated (CLINIC: 24; at most 24: one left unexplained may be a loss whose written notice to the
   * DEA is due by the end of the next business day, 21 CFR 1301.76(b)).
   */
  @Column({ name: 'cs_discrepancy_resolve_hours', type: 'integer', default: 24 })
  csDiscrepancyResolveHours!: number;

  /**
   * The difference, in mL, an estimated measure of an opened vial may show from the ledger without
   * opening a discrepancy (CLINIC: 0, every difference is looked into; at most 0.5). Sealed containers
   * and esketamine devices are counted exactly, always.
   */
  @Column({ name: 'cs_estimate_tolerance_ml', type: 'numeric', precision: 4, scale: 2, default: 0, transformer: numeric })
  csEstimateToleranceMl!: number;

  /** Controlled-substance records are kept at least this many years (REG: 2, 21 CFR 1304.04(a); some states more, New York 5). */
  @Column({ name: 'cs_record_retention_years', type: 'integer', default: 2 })
  csRecordRetentionYears!: number;

  @Column({ type: 'jsonb' })
  sources!: Record<string, string>;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'fk_clinic_settings_updated_by' })
  updater?: Relation<User>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version!: number;
}
