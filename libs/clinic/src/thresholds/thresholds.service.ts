import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, DomainError, ErrorCode, TransactionRunner, type Actor, type FieldProblem } from '#platform';
import { PatientsService } from '../patients/index.js';
import { mergeThresholds, ProtocolsService, thresholdProblems, type ThresholdOverrides, type ThresholdSet } from '../protocols/index.js';
import { ClinicSettings, ClinicSettingsService } from '../settings/index.js';
import { effectiveThresholds } from './effective-thresholds.js';
import { PatientThresholds } from './patient-thresholds.entity.js';
import { ThresholdChecks } from './threshold-checks.js';

export interface ThresholdsView {
  clinic: ThresholdSet;
  /** Effective per protocol: the clinic's with the protocol's overrides. */
  protocols: { protocol: string; version: number; overrides: ThresholdOverrides; effective: ThresholdSet }[];
}

export interface PatientThresholdsView {
  overrides: ThresholdOverrides;
  reason: string | null;
  updatedBy: string | null;
  /** Per protocol: clinic, then protocol, then this patient. */
  effective: { protocol: string; thresholds: ThresholdSet }[];
}

/** The three threshold layers (clinical-rules.md section 3): clinic, protocol, patient; each edit audited. */
@Injectable()
export class ThresholdsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly settings: ClinicSettingsService,
    private readonly protocols: ProtocolsService,
    private readonly patients: PatientsService,
    private readonly checks: ThresholdChecks,
  ) {}

  async clinicView(actor: Actor): Promise<ThresholdsView> {
    const settings = await this.settings.forClinic(actor.clinicId);
    const protocols = await this.protocols.list(actor.clinicId);
    return {
      clinic: settings.thresholds,
      protocols: protocols.map((p) => ({
        protocol: p.key,
        version: p.version,
        overrides: p.thresholds,
        effective: effectiveThresholds(settings, p),
      })),
    };
  }

  /** An edit's thresholds that are not a threshold set (unknown measure, a value out of range), named by path; not given, not judged. */
  changeProblems(changes: unknown): FieldProblem[] {
    return changes === undefined ? [] : thresholdProblems(changes, 'thresholds', true);
  }

  /** Changes the clinic layer (any subset); the clinic gets its own settings row on its first edit. */
  async editClinic(actor: Actor, changes: unknown, reason: string): Promise<ThresholdsView> {
    const problems = this.changeProblems(changes);
    if (problems.length) throw DomainError.validation(problems);
    await this.transactions.run(async (tx) => {
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`clinic-settings:${actor.clinicId}`]);
      const current = await this.settings.forClinic(actor.clinicId, tx.manager);
      const after = mergeThresholds(current.thresholds, changes as ThresholdOverrides);
      const order = await this.checks.clinicEdit(tx.manager, actor.clinicId, after, changes as ThresholdOverrides);
      if (order.length) throw DomainError.validation(order);
      if (current.clinicId === null) {
        await tx.manager.insert(ClinicSettings, {
          clinicId: actor.clinicId,
          thresholds: after,
          escalation: current.escalation,
          appointmentTurnoverMin: current.appointmentTurnoverMin,
          sources: { ...current.sources, thresholds: `edited by the clinic: ${reason}` },
          updatedBy: actor.userId,
        });
      } else {
        await tx.manager.update(
          ClinicSettings,
          { id: current.id },
          { thresholds: after, updatedBy: actor.userId, version: current.version + 1 },
        );
      }
      await this.audit.record(tx, {
        action: 'thresholds.clinic.edit',
        resourceType: 'clinic',
        resourceId: actor.clinicId,
        changes: { before: current.thresholds, after, reason },
      });
    });
    return this.clinicView(actor);
  }

  async patientView(actor: Actor, patientId: string): Promise<PatientThresholdsView> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.thresholds.read', resourceType: 'patient', resourceId: patientId });
      return this.buildPatientView(tx.manager, actor, patientId);
    });
  }

  private async buildPatientView(m: EntityManager, actor: Actor, patientId: string): Promise<PatientThresholdsView> {
    const own = await m.findOneBy(PatientThresholds, { patientId });
    const settings = await this.settings.forClinic(actor.clinicId, m);
    const protocols = await this.protocols.list(actor.clinicId, m);
    return {
      overrides: own?.thresholds ?? {},
      reason: own?.reason ?? null,
      updatedBy: own?.updatedBy ?? null,
      effective: protocols.map((p) => ({ protocol: p.key, thresholds: effectiveThresholds(settings, p, own?.thresholds ?? null) })),
    };
  }

  /** Replaces the patient's overrides ({} removes them). */
  async setPatient(
    actor: Actor,
    patientId: string,
    overrides: unknown,
    reason: string,
    expectedVersion?: number,
  ): Promise<PatientThresholdsView> {
    const problems = this.changeProblems(overrides);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId, true);
      const order = await this.checks.patientEdit(tx.manager, actor.clinicId, overrides as ThresholdOverrides);
      if (order.length) throw DomainError.validation(order);
      const own = await tx.manager.findOneBy(PatientThresholds, { patientId });
      if (expectedVersion !== undefined && own && own.version !== expectedVersion)
        throw DomainError.conflict(ErrorCode.StaleVersion, `The patient's thresholds changed meanwhile (version ${own.version})`);
      if (own)
        await tx.manager.update(
          PatientThresholds,
          { patientId },
          { thresholds: overrides as ThresholdOverrides, reason, updatedBy: actor.userId, version: own.version + 1 },
        );
      else
        await tx.manager.insert(PatientThresholds, {
          patientId,
          clinicId: actor.clinicId,
          thresholds: overrides as ThresholdOverrides,
          reason,
          updatedBy: actor.userId,
        });
      await this.audit.record(tx, {
        action: 'patient.thresholds.set',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { before: own?.thresholds ?? {}, after: overrides, reason },
      });
      return this.buildPatientView(tx.manager, actor, patientId);
    });
  }
}
