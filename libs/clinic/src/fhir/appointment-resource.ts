import { metaOf, ref, type FhirResource } from './resource.js';

/** A booking (appointments) with its chair's name. */
export interface AppointmentRow {
  id: string;
  patientId: string;
  chairId: string;
  chairName: string | null;
  protocolKey: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  sessionId: string | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Appointment status of each booking status: a tentative hold is `pending`; a visit that took place
 * is `fulfilled`, also when dosing was stopped early (`aborted`).
 */
export const APPOINTMENT_STATUS: Record<string, string> = {
  booked: 'booked',
  tentative: 'pending',
  'checked-in': 'checked-in',
  completed: 'fulfilled',
  aborted: 'fulfilled',
  cancelled: 'cancelled',
  'no-show': 'noshow',
};

/** A booking as an Appointment: the patient and the chair (Location) taking part, its start and end (dosing, observation, turnover). */
export function toAppointment(a: AppointmentRow): FhirResource {
  const status = APPOINTMENT_STATUS[a.status] ?? 'booked';
  return {
    resourceType: 'Appointment',
    id: a.id,
    meta: metaOf(1, a.updatedAt),
    status,
    ...(a.cancelReason && (status === 'cancelled' || status === 'noshow') ? { cancelationReason: { text: a.cancelReason } } : {}),
    serviceType: [{ text: `Treatment session (${a.protocolKey})` }],
    ...(a.status === 'aborted' ? { description: 'Dosing was stopped early' } : {}),
    start: a.startsAt.toISOString(),
    end: a.endsAt.toISOString(),
    created: a.createdAt.toISOString(),
    participant: [
      { actor: ref('Patient', a.patientId), required: 'required', status: 'accepted' },
      { actor: ref('Location', a.chairId, a.chairName ?? undefined), required: 'required', status: 'accepted' },
    ],
  };
}
