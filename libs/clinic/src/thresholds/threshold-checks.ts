import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FieldProblem, Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import {
  mergeThresholds,
  ProtocolsService,
  thresholdOrderProblems,
  type ProtocolVersion,
  type ThresholdOverrides,
  type ThresholdSet,
} from '../protocols/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { PatientThresholds } from './patient-thresholds.entity.js';

const FIELD = 'thresholds';

/** One problem per path (the first effective set that breaks it says which). */
function firstPerField(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.field) && seen.add(p.field));
}

/**
 * clinical-rules.md section 3: every layer's write is judged on the effective thresholds it makes
 * (warning before critical, positive deltas). A clinic edit: the clinic set alone, with every
 * protocol of the clinic, and with every patient override of the clinic on every protocol. A
 * protocol edit: the clinic set with the new protocol overrides, and with every patient override.
 * A patient edit: the patient's overrides on every protocol of the clinic (a patient may be
 * treated on any of them).
 */
@Injectable()
export class ThresholdChecks {
  constructor(
    private readonly settings: ClinicSettingsService,
    private readonly protocols: ProtocolsService,
  ) {}

  async clinicEdit(m: EntityManager, clinicId: string, clinic: ThresholdSet, edited: ThresholdOverrides): Promise<FieldProblem[]> {
    const protocols = await this.protocols.list(clinicId, m);
    const patients = await m.findBy(PatientThresholds, { clinicId });
    const problems = thresholdOrderProblems(clinic, FIELD, edited);
    for (const p of protocols) {
      problems.push(...thresholdOrderProblems(mergeThresholds(clinic, p.thresholds), FIELD, edited, `with protocol ${p.key}`));
      for (const own of patients) problems.push(...this.patientProblems(clinic, p, own, edited));
    }
    return firstPerField(problems);
  }

  async protocolEdit(m: EntityManager, clinicId: string, key: string, overrides: ThresholdOverrides): Promise<FieldProblem[]> {
    const { thresholds: clinic } = await this.settings.forClinic(clinicId, m);
    const patients = await m.findBy(PatientThresholds, { clinicId });
    const protocol = { key, thresholds: overrides };
    const problems = thresholdOrderProblems(mergeThresholds(clinic, overrides), FIELD, overrides, `with the clinic thresholds`);
    for (const own of patients) problems.push(...this.patientProblems(clinic, protocol, own, overrides));
    return firstPerField(problems);
  }

  async patientEdit(m: EntityManager, clinicId: string, overrides: ThresholdOverrides): Promise<FieldProblem[]> {
    const { thresholds: clinic } = await this.settings.forClinic(clinicId, m);
    const protocols = await this.protocols.list(clinicId, m);
    const problems = protocols.flatMap((p) =>
      thresholdOrderProblems(mergeThresholds(clinic, p.thresholds, overrides), FIELD, overrides, `with protocol ${p.key}`),
    );
    return firstPerField(problems);
  }

  @OnClinicEvent('ProtocolThresholdsEditing')
  async onProtocolEdit(e: ClinicEventPayload<'ProtocolThresholdsEditing'>, tx: Tx): Promise<FieldProblem[]> {
    return this.protocolEdit(tx.manager, e.clinicId, e.protocolKey, e.thresholds);
  }

  private patientProblems(
    clinic: ThresholdSet,
    protocol: Pick<ProtocolVersion, 'key' | 'thresholds'>,
    own: PatientThresholds,
    edited: ThresholdOverrides,
  ): FieldProblem[] {
    const effective = mergeThresholds(clinic, protocol.thresholds, own.thresholds);
    return thresholdOrderProblems(effective, FIELD, edited, `with protocol ${protocol.key} and the overrides of patient ${own.patientId}`);
  }
}
