import type { ReadingValues } from './evaluate.js';
import type { VitalReading } from './vital-reading.entity.js';

const VALUES = ['systolic', 'diastolic', 'heartRate', 'spo2', 'respiratoryRate', 'temperatureC', 'moaas'] as const;

/**
 * clinical-rules.md section 3: a device sending (device, measured time) again with the same values
 * is resending (a duplicate, nothing written); with any value different it is correcting.
 */
export function sameValues(
  stored: ReadingValues & { temperatureC?: number | null },
  sent: ReadingValues & { temperatureC?: number | null },
): boolean {
  return VALUES.every((k) => (stored[k] ?? null) === (sent[k] ?? null));
}

/** Marks `old` as replaced by `by` (who, when); the statement that stores `by` writes the mark. */
export function supersede(old: VitalReading, by: VitalReading, at: Date): void {
  old.supersededAt = at;
  old.supersededBy = by.recordedBy;
  old.supersededByReadingId = by.id;
}
