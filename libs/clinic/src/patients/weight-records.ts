import type { EntityManager } from 'typeorm';
import type { Actor } from '#platform';
import type { Patient } from './patient.entity.js';
import { PatientWeight } from './weight.entity.js';
import { toKg, type NewWeight } from './weights.js';

/** The patient's weight readings as rows: written with the change that records them, read newest first. */

export function insertWeight(m: EntityManager, actor: Actor, patient: Patient, input: Required<NewWeight>): Promise<PatientWeight> {
  return m.save(
    m.create(PatientWeight, {
      clinicId: patient.clinicId,
      patientId: patient.id,
      weightKg: toKg(input.value, input.unit),
      enteredValue: input.value,
      enteredUnit: input.unit,
      measuredAt: input.measuredAt,
      recordedBy: actor.userId,
    }),
  );
}

/** The latest measurement (not the latest entry) of the patient. */
export function latestWeight(m: EntityManager, patientId: string): Promise<PatientWeight | null> {
  return m.findOne(PatientWeight, { where: { patientId }, order: { measuredAt: 'DESC', id: 'DESC' } });
}

/** The latest measurement of each of these patients. */
export async function latestWeights(m: EntityManager, ids: string[]): Promise<Map<string, PatientWeight>> {
  if (!ids.length) return new Map();
  const rows = await m
    .createQueryBuilder(PatientWeight, 'w')
    .distinctOn(['w.patient_id'])
    .where('w.patient_id IN (:...ids)', { ids })
    .orderBy('w.patient_id')
    .addOrderBy('w.measured_at', 'DESC')
    .addOrderBy('w.id', 'DESC')
    .getMany();
  return new Map(rows.map((w) => [w.patientId, w]));
}
