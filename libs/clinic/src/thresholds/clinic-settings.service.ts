import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { AuditService, DomainError, TransactionRunner, type Actor } from '#platform';
import type { ProtocolVersion } from '../protocols/protocol.entity.js';
import type { ThresholdSet } from '../protocols/protocol-definition.js';
import { ClinicSettings, WEEKDAYS, type EscalationSettings, type OpeningHours } from './clinic-settings.entity.js';
import { mergeThresholds, type ThresholdOverrides } from './thresholds.js';

@Injectable()
export class ClinicSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
  ) {}

  /** Administrators: alert escalation times and chair turnover (thresholds are the anesthesiologists', at /thresholds). */
  async edit(
    actor: Actor,
    changes: { escalation?: EscalationSettings; appointmentTurnoverMin?: number; openingHours?: unknown },
    reason: string,
  ): Promise<ClinicSettings> {
    if (changes.openingHours !== undefined) {
      const problems = openingHoursProblems(changes.openingHours);
      if (problems.length) throw DomainError.validation(problems);
    }
    if (changes.escalation && changes.escalation.allAnesthesiologistsAfterMin <= changes.escalation.sessionAnesthesiologistAfterMin)
      throw DomainError.validation([
        { field: 'escalation.allAnesthesiologistsAfterMin', message: 'must come after sessionAnesthesiologistAfterMin' },
      ]);
    return this.transactions.run(async (tx) => {
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`clinic-settings:${actor.clinicId}`]);
      const current = await this.forClinic(actor.clinicId, tx.manager);
      const next = {
        escalation: changes.escalation ?? current.escalation,
        appointmentTurnoverMin: changes.appointmentTurnoverMin ?? current.appointmentTurnoverMin,
        openingHours: (changes.openingHours as OpeningHours | undefined) ?? current.openingHours,
      };
      const sources = {
        ...current.sources,
        ...Object.fromEntries(
          Object.entries(changes)
            .filter(([, v]) => v !== undefined)
            .map(([k]) => [k, `edited by the clinic: ${reason}`]),
        ),
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
        changes: {
          before: {
            escalation: current.escalation,
            appointmentTurnoverMin: current.appointmentTurnoverMin,
            openingHours: current.openingHours,
          },
          after: next,
          reason,
        },
      });
      return this.forClinic(actor.clinicId, tx.manager);
    });
  }

  /** The clinic's own settings, else Vigil's defaults. */
  async forClinic(clinicId: string, manager: EntityManager = this.dataSource.manager): Promise<ClinicSettings> {
    const own = await manager.findOneBy(ClinicSettings, { clinicId });
    if (own) return own;
    const fallback = await manager.findOneBy(ClinicSettings, { clinicId: IsNull() });
    if (!fallback) throw DomainError.notFound('Clinic settings');
    return fallback;
  }

  /** Patient override over protocol over clinic (clinical-rules.md section 3). */
  async effectiveThresholds(
    clinicId: string,
    protocol: Pick<ProtocolVersion, 'thresholds'>,
    patientOverrides: ThresholdOverrides | null,
    manager?: EntityManager,
  ): Promise<ThresholdSet> {
    const settings = await this.forClinic(clinicId, manager);
    return mergeThresholds(settings.thresholds, protocol.thresholds, patientOverrides);
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
