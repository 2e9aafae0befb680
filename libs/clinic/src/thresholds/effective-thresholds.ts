import { In, type EntityManager } from 'typeorm';
import { mergeThresholds, type ProtocolVersion, type ThresholdOverrides, type ThresholdSet } from '../protocols/index.js';
import type { ClinicSettings } from '../settings/index.js';
import { PatientThresholds } from './patient-thresholds.entity.js';

/**
 * The thresholds a reading is judged on (clinical-rules.md section 3): the patient's overrides over
 * the protocol's over the clinic's, leaf by leaf. Without a patient: what the protocol runs on.
 */
export function effectiveThresholds(
  clinic: Pick<ClinicSettings, 'thresholds'>,
  protocol: Pick<ProtocolVersion, 'thresholds'>,
  patient: ThresholdOverrides | null = null,
): ThresholdSet {
  return mergeThresholds(clinic.thresholds, protocol.thresholds, patient);
}

/** The overrides of these patients, in one query (patients without any are absent). */
export async function patientOverrides(m: EntityManager, patientIds: string[]): Promise<Map<string, ThresholdOverrides>> {
  if (patientIds.length === 0) return new Map();
  const rows = await m.findBy(PatientThresholds, { patientId: In([...new Set(patientIds)]) });
  return new Map(rows.map((p) => [p.patientId, p.thresholds]));
}
