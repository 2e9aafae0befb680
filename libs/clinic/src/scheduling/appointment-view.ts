import type { Appointment, AppointmentStatus } from './scheduling.entity.js';

export interface AppointmentView {
  id: string;
  patientId: string;
  chairId: string;
  protocol: string;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  sessionId: string | null;
  flags: string[];
  cancelReason: string | null;
}

export const appointmentView = (a: Appointment): AppointmentView => ({
  id: a.id,
  patientId: a.patientId,
  chairId: a.chairId,
  protocol: a.protocolKey,
  startsAt: a.startsAt.toISOString(),
  endsAt: a.endsAt.toISOString(),
  status: a.status,
  sessionId: a.sessionId,
  flags: a.flags,
  cancelReason: a.cancelReason,
});
