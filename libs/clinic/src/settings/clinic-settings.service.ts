import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, DomainError, TransactionRunner, type Actor, type FieldProblem } from '#platform';
import { ClinicSettings, WEEKDAYS } from './clinic-settings.entity.js';

/** What administrators edit at PATCH /clinic-settings. */
const EDITABLE = [
  'escalation',
  'appointmentTurnoverMin',
  'openingHours',
  'checkInCallAfterHours',
  'remsFormDueDays',
  'remsFormEscalateDays',
  'phq9AfterInductionHours',
  'consentExpiryReminderDays',
  'appointmentReminderHours',
  'followUpOverdueEscalationHours',
  'outcomeBaselineWindowMin',
  'deliveredDoseTolerancePct',
  'lateReadingPageAfterMin',
  'hl7LogRetentionDays',
  'csDiscrepancyResolveHours',
  'csEstimateToleranceMl',
  'csRecordRetentionYears',
] as const;
type Editable = (typeof EDITABLE)[number];
export type ClinicSettingsChanges = { [K in Exclude<Editable, 'openingHours'>]?: ClinicSettings[K] } & { openingHours?: unknown };

/** Rules across fields (single-field ranges are the request DTO's). */
export function settingsProblems(next: Pick<ClinicSettings, Editable>, changes: ClinicSettingsChanges): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (changes.openingHours !== undefined) problems.push(...openingHoursProblems(changes.openingHours));
  if (next.escalation.allAnesthesiologistsAfterMin <= next.escalation.sessionAnesthesiologistAfterMin)
    problems.push({ field: 'escalation.allAnesthesiologistsAfterMin', message: 'must come after sessionAnesthesiologistAfterMin' });
  // Spravato REMS: the Patient Monitoring Form is due within 7 days of the session (LABEL); a clinic may ask for it sooner.
  if (next.remsFormDueDays > 7)
    problems.push({ field: 'remsFormDueDays', message: 'the REMS form is due within 7 days (label); it cannot be later' });
  if (next.remsFormEscalateDays >= next.remsFormDueDays)
    problems.push({ field: 'remsFormEscalateDays', message: 'must come before remsFormDueDays' });
  const hours = next.phq9AfterInductionHours;
  if (hours.some((h, i) => i > 0 && h <= (hours[i - 1] ?? 0)))
    problems.push({ field: 'phq9AfterInductionHours', message: 'must be increasing, without repeats' });
  return problems;
}

@Injectable()
export class ClinicSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /**
   * Administrators: alert escalation times, chair turnover, opening hours, the follow-up timings,
   * the delivered-dose tolerance, the monitor feed's late-reading and log-retention limits and the
   * controlled-substance ledger's discrepancy window, estimate tolerance and record retention
   * (thresholds are the anesthesiologists', at /thresholds). Audited with before, after and reason.
   */
  async edit(actor: Actor, changes: ClinicSettingsChanges, reason: string): Promise<ClinicSettings> {
    return this.transactions.run(async (tx) => {
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`clinic-settings:${actor.clinicId}`]);
      const current = await this.forClinic(actor.clinicId, tx.manager);
      const edited = Object.fromEntries(Object.entries(changes).filter(([k, v]) => v !== undefined && EDITABLE.includes(k as Editable)));
      const before = Object.fromEntries(EDITABLE.map((k) => [k, current[k]])) as Pick<ClinicSettings, Editable>;
      const next = { ...before, ...edited } as Pick<ClinicSettings, Editable>;
      const problems = settingsProblems(next, changes);
      if (problems.length) throw DomainError.validation(problems);
      const sources = {
        ...current.sources,
        ...Object.fromEntries(Object.keys(edited).map((k) => [k, `edited by the clinic: ${reason}`])),
      };
      if (current.clinicId === null) {
        await tx.manager.insert(ClinicSettings, {
          clinicId: actor.clinicId,
          thresholds: current.thresholds,
          ...next,
          sources,
          updatedBy: actor.userId,
        });
      } else {
        await tx.manager.update(
          ClinicSettings,
          { id: current.id },
          { ...next, sources, updatedBy: actor.userId, version: current.version + 1 },
        );
      }
      await this.audit.record(tx, {
        action: 'clinic-settings.edit',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { before, after: next, reason },
      });
      return this.forClinic(actor.clinicId, tx.manager);
    });
  }

  /** The clinic's own settings, else Vigil's defaults. */
  async forClinic(clinicId: string, manager: EntityManager = this.dataSource.manager): Promise<ClinicSettings> {
    // One query: the clinic's own row sorts before the defaults (NULL clinic) when it exists.
    const found = await manager
      .createQueryBuilder(ClinicSettings, 'c')
      .where('c.clinic_id = :clinicId OR c.clinic_id IS NULL', { clinicId })
      .orderBy('c.clinic_id', 'ASC', 'NULLS LAST')
      .getOne();
    if (!found) throw DomainError.notFound('Clinic settings');
    return found;
  }
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Every weekday (sun…sat) with a list of ["HH:MM", "HH:MM"] intervals, each opening before it closes, in order, not overlapping. */
export function openingHoursProblems(value: unknown): { field: string; message: string }[] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return [{ field: 'openingHours', message: 'must be an object with sun…sat' }];
  const v = value as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  for (const k of Object.keys(v))
    if (!(WEEKDAYS as readonly string[]).includes(k)) problems.push({ field: `openingHours.${k}`, message: 'is not a weekday (sun…sat)' });
  for (const day of WEEKDAYS) {
    const list = v[day];
    if (!Array.isArray(list)) {
      problems.push({ field: `openingHours.${day}`, message: 'must be a list of ["HH:MM", "HH:MM"] (empty: closed)' });
      continue;
    }
    let previousClose = '';
    list.forEach((pair: unknown, i) => {
      const ok = Array.isArray(pair) && pair.length === 2 && pair.every((x) => typeof x === 'string' && HHMM.test(x));
      if (!ok || !(pair[0] < pair[1]) || pair[0] < previousClose)
        problems.push({
          field: `openingHours.${day}[${i}]`,
          message: 'must be ["HH:MM", "HH:MM"], opening before closing, after the previous interval',
        });
      else previousClose = pair[1] as string;
    });
  }
  return problems;
}
