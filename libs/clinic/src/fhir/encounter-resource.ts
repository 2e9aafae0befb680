import { V3_ACT_CODE, V3_PARTICIPATION_TYPE } from './codes.js';
import { metaOf, ref, type FhirResource } from './resource.js';

/** A session as the Encounter reads it. */
export interface EncounterRow {
  id: string;
  patientId: string;
  status: string;
  protocolKey: string;
  appointmentId: string | null;
  chairId: string | null;
  chairLabel: string | null;
  nurseUserId: string | null;
  anesthesiologistUserId: string | null;
  checkedInAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
  version: number;
}

/**
 * The Encounter status of each session state: booked but not arrived is `planned`; checked in and
 * prepared, `arrived`; dosing, paused, observed (also after an abort), `in-progress`; discharged,
 * `finished`; cancelled and no-show, `cancelled` (R4 has no no-show for an Encounter).
 */
export const ENCOUNTER_STATUS: Record<string, string> = {
  scheduled: 'planned',
  checked_in: 'arrived',
  ready: 'arrived',
  dosing: 'in-progress',
  paused: 'in-progress',
  observation: 'in-progress',
  aborted: 'in-progress',
  discharged: 'finished',
  cancelled: 'cancelled',
  no_show: 'cancelled',
};

const participant = (code: string, display: string, userId: string | null) =>
  userId ? [{ type: [{ coding: [{ system: V3_PARTICIPATION_TYPE, code, display }] }], individual: ref('Practitioner', userId) }] : [];

/** A session as an ambulatory Encounter: its period from check-in to discharge, its chair as the location. */
export function toEncounter(s: EncounterRow): FhirResource {
  const status = ENCOUNTER_STATUS[s.status] ?? 'unknown';
  const period = {
    ...(s.checkedInAt ? { start: s.checkedInAt.toISOString() } : {}),
    ...(s.checkedInAt && s.endedAt ? { end: s.endedAt.toISOString() } : {}),
  };
  const people = [...participant('PPRF', 'primary performer', s.nurseUserId), ...participant('ATND', 'attender', s.anesthesiologistUserId)];
  return {
    resourceType: 'Encounter',
    id: s.id,
    meta: metaOf(s.version, s.updatedAt),
    status,
    class: { system: V3_ACT_CODE, code: 'AMB', display: 'ambulatory' },
    type: [{ text: `Treatment session (${s.protocolKey})` }],
    subject: ref('Patient', s.patientId),
    ...(people.length ? { participant: people } : {}),
    ...(s.appointmentId ? { appointment: [ref('Appointment', s.appointmentId)] } : {}),
    ...(Object.keys(period).length ? { period } : {}),
    ...(s.chairId
      ? {
          location: [
            {
              location: ref('Location', s.chairId, s.chairLabel ?? undefined),
              status: status === 'finished' || status === 'cancelled' ? 'completed' : status === 'planned' ? 'planned' : 'active',
            },
          ],
        }
      : {}),
  };
}
