import { FLAG_CATEGORY, VIGIL_ALERT_LEVEL, VIGIL_ALERT_MEASURE } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';

/** An alert not resolved yet (open or acknowledged). */
export interface FlagRow {
  id: string;
  patientId: string;
  sessionId: string;
  measure: string;
  level: 'warning' | 'critical';
  status: 'open' | 'acknowledged';
  message: string;
  openedAt: Date;
  acknowledgedAt: Date | null;
}

/**
 * An open alert as an active clinical Flag: what it is about (Vigil's measure) and its message as the
 * code, its level as a second category, the session as the encounter, from when it was opened.
 * Resolved alerts are not flags any more (they stay in the session's timeline).
 */
export function toFlag(a: FlagRow): FhirResource {
  return {
    resourceType: 'Flag',
    id: a.id,
    meta: metaOf(a.acknowledgedAt ? 2 : 1, a.acknowledgedAt ?? a.openedAt),
    status: 'active',
    category: [
      { coding: [{ system: FLAG_CATEGORY, code: 'clinical', display: 'Clinical' }] },
      { coding: [{ system: VIGIL_ALERT_LEVEL, code: a.level }], text: a.acknowledgedAt ? `${a.level}, acknowledged` : a.level },
    ],
    code: { coding: [{ system: VIGIL_ALERT_MEASURE, code: a.measure }], text: a.message },
    subject: ref('Patient', a.patientId),
    period: { start: a.openedAt.toISOString() },
    encounter: ref('Encounter', a.sessionId),
  };
}
