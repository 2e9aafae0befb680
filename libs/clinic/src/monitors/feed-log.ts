import type { EntityManager } from 'typeorm';
import type { DeviceReading, Mappings, Pcd01Header } from '../hl7/index.js';
import type { BoundMonitor } from './binding.js';
import { mappingColumns } from './device-maps.js';
import type { FeedMessage, MessageOutcome, UnboundReason } from './feed.entity.js';

/** A gateway as the feed reads it, with the zone its times without offset are read in. */
export interface GatewayRow {
  id: string;
  clinicId: string | null;
  timeZone: string;
  /** The gateway has a zone of its own (not its clinic's, nor a default). */
  ownTimeZone: boolean;
  processingIds: string[];
  /** Its clock (see ClockWatch): messages in a row stamped more than 5 minutes off, and whether its administrators were warned. */
  clockDriftCount: number;
  clockDriftWarned: boolean;
}

/** A gateway's row says when it was last heard from to this many ms: writing it on every message would make all of its connections wait on one row. */
const LAST_SEEN_RESOLUTION_MS = 1000;

/** The answered message a resend repeats: same gateway and control id, accepted or refused. */
export type OriginalMessage = Pick<FeedMessage, 'id' | 'ackCode' | 'detail' | 'clinicId'>;

/** What the feed reads of a message's sender before the message itself. */
export interface Heard {
  gateway: GatewayRow;
  /** The message this one resends (same control id), if it does. */
  original: OriginalMessage | null;
  /** The gateway's code and unit mappings (see `mappingColumns`). */
  maps: Mappings;
}

/**
 * Records the sender (first time) or when it was last heard from (at most once a second); with the
 * zone of its clinic, or of Vigil's only clinic, or UTC. A known gateway's row is read, not written,
 * for the other messages of the same second: updates of one row wait on each other's commit. The
 * same statement reads the message's original (a resend's) and the gateway's mappings.
 */
export async function touchGateway(m: EntityManager, h: Pcd01Header, peer: string, at: Date): Promise<Heard> {
  const [row] = await m.query<Array<GatewayRow & { original: OriginalMessage | null } & Mappings>>(
    `WITH cur AS (
       SELECT id, clinic_id, time_zone, processing_ids, clock_drift_count, clock_drift_warned_at, last_seen_at
         FROM hl7_gateways WHERE sending_application = $1 AND sending_facility = $2),
     seen AS (
       UPDATE hl7_gateways SET last_seen_at = $3, last_peer = $4
        WHERE id = (SELECT id FROM cur) AND last_seen_at < $3::timestamptz - make_interval(secs => $5::float8 / 1000)
        RETURNING id),
     ins AS (
       INSERT INTO hl7_gateways (sending_application, sending_facility, first_seen_at, last_seen_at, last_peer)
       SELECT $1, $2, $3, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM cur)
       ON CONFLICT (sending_application, sending_facility) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, last_peer = EXCLUDED.last_peer
       RETURNING id, clinic_id, time_zone, processing_ids, clock_drift_count, clock_drift_warned_at),
     g AS (
       SELECT id, clinic_id, time_zone, processing_ids, clock_drift_count, clock_drift_warned_at FROM cur
       UNION ALL SELECT * FROM ins)
     SELECT g.id, g.clinic_id AS "clinicId", g.processing_ids AS "processingIds", g.time_zone IS NOT NULL AS "ownTimeZone",
            g.clock_drift_count AS "clockDriftCount", g.clock_drift_warned_at IS NOT NULL AS "clockDriftWarned",
            COALESCE(g.time_zone, c.time_zone, (SELECT CASE WHEN count(*) = 1 THEN max(time_zone) END FROM clinics), 'UTC') AS "timeZone",
            (SELECT json_build_object('id', o.id, 'ackCode', o.ack_code, 'detail', o.detail, 'clinicId', o.clinic_id) FROM hl7_messages o
              WHERE o.gateway_id = g.id AND o.control_id = $6 AND o.duplicate_of IS NULL AND o.ack_code IN ('AA', 'AE')) AS original,
            ${mappingColumns('g.id')}
       FROM g LEFT JOIN clinics c ON c.id = g.clinic_id`,
    [h.sendingApplication, h.sendingFacility, at, peer, LAST_SEEN_RESOLUTION_MS, h.controlId || null],
  );
  const { original, codes, units, ...gateway } = row;
  return { gateway, original, maps: { codes, units } };
}

export async function clinicTimeZone(m: EntityManager, clinicId: string): Promise<string | null> {
  const [row] = await m.query<Array<{ time_zone: string }>>(`SELECT time_zone FROM clinics WHERE id = $1`, [clinicId]);
  return row?.time_zone ?? null;
}

/** The clinic a message belongs to when its monitor names none: the gateway's, else Vigil's only clinic. */
export async function fallbackClinic(m: EntityManager, gateway: GatewayRow): Promise<string | null> {
  if (gateway.clinicId) return gateway.clinicId;
  const rows = await m.query<Array<{ id: string }>>(`SELECT id FROM clinics LIMIT 2`);
  return rows.length === 1 ? rows[0].id : null;
}

/** The gateway learns its clinic from the first monitor of a clinic it speaks for. */
export async function learnClinic(m: EntityManager, gateway: GatewayRow, monitor: BoundMonitor | null): Promise<void> {
  if (monitor && !gateway.clinicId)
    await m.query(`UPDATE hl7_gateways SET clinic_id = $2 WHERE id = $1 AND clinic_id IS NULL`, [gateway.id, monitor.clinicId]);
}

export interface LogEntry {
  receivedAt: Date;
  gatewayId: string | null;
  clinicId: string | null;
  peer: string;
  controlId: string | null;
  messageTime: Date | null;
  raw: Buffer;
  ackCode: 'AA' | 'AE' | 'AR' | null;
  ack: string | null;
  outcome: MessageOutcome;
  duplicateOf?: string | null;
  detail: Record<string, unknown>;
}

/** One row of the raw message log; its id. */
export async function logMessage(m: EntityManager, e: LogEntry): Promise<string> {
  const [row] = await m.query<Array<{ id: string }>>(
    `INSERT INTO hl7_messages (received_at, gateway_id, clinic_id, peer, control_id, message_time, raw, ack_code, ack, outcome, duplicate_of, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      e.receivedAt,
      e.gatewayId,
      e.clinicId,
      e.peer,
      e.controlId,
      e.messageTime,
      e.raw,
      e.ackCode,
      e.ack,
      e.outcome,
      e.duplicateOf ?? null,
      e.detail,
    ],
  );
  return row.id;
}

/** The ACK and what came of the message, once known (the row was written first to claim its control id). */
export async function completeLog(
  m: EntityManager,
  id: string,
  ack: string,
  clinicId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await m.query(`UPDATE hl7_messages SET ack = $2, clinic_id = $3, detail = $4 WHERE id = $1`, [id, ack, clinicId, detail]);
}

export interface Unbound {
  reading: DeviceReading;
  reason: UnboundReason;
}

/** Readings no session took, kept once per device and measurement time; how many were new. */
export async function keepUnbound(
  m: EntityManager,
  rows: Unbound[],
  ctx: {
    clinicId: string | null;
    messageId: string;
    monitor: BoundMonitor | null;
    deviceId: string;
    location: string | null;
    patientMrn: string | null;
    at: Date;
  },
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await m.query<unknown[]>(
    `INSERT INTO unbound_readings (clinic_id, message_id, monitor_id, chair_id, device_id, location, patient_mrn, measured_at, zone_assumed, "values", reason, received_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, u.measured_at, u.zone_assumed, u.values, u.reason, $8
       FROM unnest($9::timestamptz[], $10::boolean[], $11::jsonb[], $12::text[]) AS u(measured_at, zone_assumed, values, reason)
     ON CONFLICT (device_id, measured_at) DO NOTHING RETURNING id`,
    [
      ctx.clinicId,
      ctx.messageId,
      ctx.monitor?.id ?? null,
      ctx.monitor?.chairId ?? null,
      ctx.deviceId,
      ctx.location,
      ctx.patientMrn,
      ctx.at,
      rows.map((r) => r.reading.measuredAt),
      rows.map((r) => r.reading.assumedZone),
      rows.map((r) => JSON.stringify(r.reading.values)),
      rows.map((r) => r.reason),
    ],
  );
  return inserted.length;
}
