import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, keysetPage, TransactionRunner, type Actor, type FieldProblem, type Page } from '#platform';
import { PatientsService } from './patients.service.js';
import { insertWeight } from './weight-records.js';
import { PatientWeight } from './weight.entity.js';
import { weightProblems, weightView, type NewWeight, type WeightView } from './weights.js';

/** The patient's weight history: what weight-based doses are calculated from. */
@Injectable()
export class WeightsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
  ) {}

  async add(actor: Actor, patientId: string, input: NewWeight): Promise<WeightView> {
    const now = this.clock.now();
    const measuredAt = input.measuredAt ?? now;
    const problems = this.problems(input);
    if (problems.length) throw DomainError.validation(problems);
    return this.transactions.run(async (tx) => {
      const patient = await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      const weight = await insertWeight(tx.manager, actor, patient, { ...input, measuredAt });
      await this.audit.record(tx, {
        action: 'patient.weight.record',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { weightKg: weight.weightKg, enteredValue: input.value, enteredUnit: input.unit, measuredAt: measuredAt.toISOString() },
      });
      return weightView(weight);
    });
  }

  /** A weight outside the plausible range once converted, or measured in the future; fields not given are not judged. */
  problems(input: Partial<NewWeight>): FieldProblem[] {
    return weightProblems(input.value, input.unit, input.measuredAt, this.clock.now(), { value: 'value', measuredAt: 'measuredAt' });
  }

  /** One page of the history, newest measurement first; reading it is audited. */
  async history(actor: Actor, patientId: string, page: { limit: number; cursor?: string }): Promise<Page<WeightView>> {
    return this.transactions.run(async (tx) => {
      await this.patients.findInClinic(tx.manager, actor.clinicId, patientId);
      await this.audit.record(tx, { action: 'patient.weights.read', resourceType: 'patient', resourceId: patientId });
      const q = tx.manager.createQueryBuilder(PatientWeight, 'w').where('w.patient_id = :patientId', { patientId });
      return keysetPage(q, {
        sortColumn: 'w.measured_at',
        idColumn: 'w.id',
        order: 'DESC',
        cursor: page.cursor,
        limit: page.limit,
        key: (w) => ({ at: w.measuredAt, id: w.id }),
        view: weightView,
      });
    });
  }
}
