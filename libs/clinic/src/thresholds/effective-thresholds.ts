import { mergeThresholds, type ProtocolVersion, type ThresholdOverrides, type ThresholdSet } from '../protocols/index.js';
import type { ClinicSettings } from '../settings/index.js';

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
