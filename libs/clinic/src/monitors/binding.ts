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
  return monitorAtLocation(m, msg, gatewayClinicId);
}

async function monitorAtLocation(m: EntityManager, msg: Pcd01Message, gatewayClinicId: string | null): Promise<BoundMonitor | null> {
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

/** The session in progress in a chair at a time: check-in to discharge, the latest checked in. */
const SESSION_IN_CHAIR = (chair: string, clinic: string, at: string) =>
  `SELECT s.id, s.status, p.mrn FROM sessions s JOIN patients p ON p.id = s.patient_id
    WHERE s.chair_id = ${chair} AND s.clinic_id = ${clinic} AND s.checked_in_at <= ${at} AND (s.ended_at IS NULL OR s.ended_at > ${at})
      AND s.status NOT IN ('scheduled', 'cancelled', 'no_show')
    ORDER BY s.checked_in_at DESC LIMIT 1`;

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
  const [s] = await m.query<SessionInChair[]>(SESSION_IN_CHAIR('$1', '$2', '$3'), [monitor.chairId, monitor.clinicId, reading.measuredAt]);
  return placementOf(s ?? null, patientMrn);
}

interface SessionInChair {
  id: string;
  status: string;
  mrn: string;
}

function placementOf(s: SessionInChair | null, patientMrn: string | null): Placement {
  if (!s) return { unbound: 'no-session' };
  if (!(VITALS_STATUSES as readonly string[]).includes(s.status)) return { unbound: 'session-ended' };
  if (patientMrn && patientMrn.trim().toUpperCase() !== s.mrn.trim().toUpperCase()) return { unbound: 'patient-mismatch' };
  return { sessionId: s.id };
}

/** A message's monitor, where each of its readings goes (in order), and its clinic's lateReadingPageAfterMin (null: no settings). */
export interface Binding {
  monitor: BoundMonitor | null;
  places: Placement[];
  lateAfterMin: number | null;
}

/**
 * `monitorOf` and `placeReading` for every reading of the message, with the clinic's late-reading
 * limit: one statement for a monitor known by its EUI-64 (the location's candidates are one more).
 */
export async function bindReadings(m: EntityManager, msg: Pcd01Message, gatewayClinicId: string | null): Promise<Binding> {
  if (msg.eui64) {
    const bound = await placedBy(m, 'mo.eui64 = $1 AND mo.retired_at IS NULL', msg.eui64, msg);
    if (bound) return bound;
  }
  const monitor = await monitorAtLocation(m, msg, gatewayClinicId);
  if (!monitor) return { monitor: null, places: msg.readings.map(() => ({ unbound: 'unknown-device' })), lateAfterMin: null };
  // Found among the active monitors a moment ago: read again by its id (a monitor's row is never deleted).
  return (await placedBy(m, 'mo.id = $1', monitor.id, msg))!;
}

interface PlacedRow extends BoundMonitor {
  lateAfterMin: number | null;
  /** The reading's place in the message (null: the message has none). */
  i: string | null;
  sessionId: string | null;
  status: string | null;
  mrn: string | null;
}

async function placedBy(m: EntityManager, monitorIs: string, key: string, msg: Pcd01Message): Promise<Binding | null> {
  const rows = await m.query<PlacedRow[]>(
    `SELECT mo.id, mo.clinic_id AS "clinicId", mo.chair_id AS "chairId",
            (SELECT c.late_reading_page_after_min FROM clinic_settings c WHERE c.clinic_id = mo.clinic_id OR c.clinic_id IS NULL
              ORDER BY c.clinic_id ASC NULLS LAST LIMIT 1) AS "lateAfterMin",
            t.i, s.id AS "sessionId", s.status, s.mrn
       FROM monitors mo
       LEFT JOIN LATERAL unnest($2::timestamptz[]) WITH ORDINALITY AS t(at, i) ON true
       LEFT JOIN LATERAL (${SESSION_IN_CHAIR('mo.chair_id', 'mo.clinic_id', 't.at')}) s ON true
      WHERE ${monitorIs}
      ORDER BY t.i`,
    [key, msg.readings.map((r) => r.measuredAt)],
  );
  if (rows.length === 0) return null;
  const { id, clinicId, chairId, lateAfterMin } = rows[0];
  const places = rows
    .filter((r) => r.i !== null)
    .map((r) => placementOf(r.sessionId ? { id: r.sessionId, status: r.status!, mrn: r.mrn! } : null, msg.patientMrn));
  return { monitor: { id, clinicId, chairId }, places, lateAfterMin };
}
