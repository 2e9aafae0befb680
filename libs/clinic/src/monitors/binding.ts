import type { EntityManager } from 'typeorm';
import { locationMatches, type DeviceReading, type Pcd01Message } from '../hl7/index.js';
import { VITALS_STATUSES } from '../sessions/index.js';
import type { UnboundReason } from './feed.entity.js';

/** The registered monitor a message comes from. */
export interface BoundMonitor {
  id: string;
  clinicId: string;
  chairId: string;
}

/**
 * The active monitor that sent the message: by its EUI-64 (unique across Vigil), else by the bed
 * location of PV1-3 (among the gateway's clinic's monitors when it is known); none when no monitor,
 * or more than one, matches.
 */
export async function monitorOf(m: EntityManager, msg: Pcd01Message, gatewayClinicId: string | null): Promise<BoundMonitor | null> {
  if (msg.eui64) {
    const [byEui] = await m.query<BoundMonitor[]>(
      `SELECT id, clinic_id AS "clinicId", chair_id AS "chairId" FROM monitors WHERE eui64 = $1 AND retired_at IS NULL`,
      [msg.eui64],
    );
    if (byEui) return byEui;
  }
  if (!msg.location) return null;
  const candidates = await m.query<Array<BoundMonitor & { location: string }>>(
    `SELECT id, clinic_id AS "clinicId", chair_id AS "chairId", location FROM monitors
      WHERE location IS NOT NULL AND retired_at IS NULL AND ($1::uuid IS NULL OR clinic_id = $1)`,
    [gatewayClinicId],
  );
  const matching = candidates.filter((c) => locationMatches(c.location, msg.location!));
  return matching.length === 1 ? { id: matching[0].id, clinicId: matching[0].clinicId, chairId: matching[0].chairId } : null;
}

/** Where one reading goes: a session in progress, or kept unbound and why. */
export type Placement = { sessionId: string } | { unbound: UnboundReason };

/**
 * The session in the monitor's chair at the reading's measurement time (check-in to discharge). A
 * session that has ended since, or whose patient is not the one the monitor names (PID-3), takes
 * nothing: the reading is kept unbound.
 */
export async function placeReading(
  m: EntityManager,
  monitor: BoundMonitor | null,
  reading: Pick<DeviceReading, 'measuredAt'>,
  patientMrn: string | null,
): Promise<Placement> {
  if (!monitor) return { unbound: 'unknown-device' };
  const [s] = await m.query<Array<{ id: string; status: string; mrn: string }>>(
    `SELECT s.id, s.status, p.mrn FROM sessions s JOIN patients p ON p.id = s.patient_id
      WHERE s.chair_id = $1 AND s.clinic_id = $2 AND s.checked_in_at <= $3 AND (s.ended_at IS NULL OR s.ended_at > $3)
        AND s.status NOT IN ('scheduled', 'cancelled', 'no_show')
      ORDER BY s.checked_in_at DESC LIMIT 1`,
    [monitor.chairId, monitor.clinicId, reading.measuredAt],
  );
  if (!s) return { unbound: 'no-session' };
  if (!(VITALS_STATUSES as readonly string[]).includes(s.status)) return { unbound: 'session-ended' };
  if (patientMrn && patientMrn.trim().toUpperCase() !== s.mrn.trim().toUpperCase()) return { unbound: 'patient-mismatch' };
  return { sessionId: s.id };
}
