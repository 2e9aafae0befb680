import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import type { DataSource } from 'typeorm';
import { localParts, zonedTimeToUtc } from '../../libs/platform/src/index.js';
import { API } from './api-contract.js';
import { bearer } from './factories.js';

/* The small records and requests the route fixtures are made of (support/route-fixtures.ts). */

/** POST or GET a fixture; anything but the expected status fails the set-up. */
export async function fixturePost<T = { id: string }>(
  http: TestAgent,
  path: string,
  token: string,
  body: object,
  status = 201,
): Promise<T> {
  const res = await http.post(`${API}${path}`).set(bearer(token)).send(body);
  if (res.status !== status) throw new Error(`fixture ${path} answered ${res.status}: ${res.text}`);
  return res.body as T;
}

export async function fixtureGet<T>(http: TestAgent, path: string, token: string): Promise<T> {
  const res = await http.get(`${API}${path}`).set(bearer(token));
  if (res.status !== 200) throw new Error(`fixture ${path} answered ${res.status}: ${res.text}`);
  return res.body as T;
}

/** The clinic's Tuesday one to two weeks ahead, and 10:00 on it (inside the default opening hours). */
export function nextTuesday(timeZone: string, fromDays = 7): { day: string; startsAt: string } {
  let day = '';
  for (let d = fromDays; d < fromDays + 8 && !day; d++) {
    const p = localParts(new Date(Date.now() + d * 86_400_000), timeZone);
    if (p.weekday === 'tue') day = p.date;
  }
  return { day, startsAt: zonedTimeToUtc(day, '10:00', timeZone).toISOString() };
}

/** An EUI-64 no other monitor sends (16 upper-case hexadecimal digits). */
export const randomEui64 = () => randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();

/** A day some years ahead, different on every call (a clinic closes a day once). */
export function closureDay(): string {
  return new Date(Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 3650) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A monitor reading no session took, of the staff's clinic, measured now (as the feed keeps one from
 * a device no monitor is registered for), with the raw-log row it came in. Written in the database:
 * only the HL7 listener makes these.
 */
export async function unboundReading(
  ds: DataSource,
  clinicId: string,
  values: Record<string, number> = { heartRate: 88, spo2: 97 },
): Promise<string> {
  const [message] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO hl7_messages (received_at, clinic_id, peer, control_id, raw, ack_code, ack, outcome)
     VALUES (now(), $1, '127.0.0.1:1', $2, '\\x00', 'AA', 'MSA|AA', 'accepted') RETURNING id`,
    [clinicId, `FIXTURE-${randomUUID()}`],
  );
  const [row] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO unbound_readings (clinic_id, message_id, device_id, measured_at, "values", reason, received_at)
     VALUES ($1, $2, $3, now(), $4, 'unknown-device', now()) RETURNING id`,
    [clinicId, message.id, randomEui64(), JSON.stringify(values)],
  );
  return row.id;
}

/**
 * A monitor gateway of the clinic, as the feed records one when it first sends (with its clinic
 * known), written in the database: only the HL7 listener makes these.
 */
export async function hl7Gateway(ds: DataSource, clinicId: string): Promise<string> {
  const [row] = await ds.query<Array<{ id: string }>>(
    `INSERT INTO hl7_gateways (sending_application, sending_facility, clinic_id, first_seen_at, last_seen_at, last_peer)
     VALUES ($1, 'FIXTURE_GW', $2, now(), now(), '127.0.0.1:1') RETURNING id`,
    [`GW_${randomUUID()}`, clinicId],
  );
  return row.id;
}

/** One of the gateway's own mappings: of a vendor's code (`code`) or of a unit (`unit`). */
export async function gatewayMap(ds: DataSource, gatewayId: string, kind: 'code' | 'unit'): Promise<string> {
  const [row] = await ds.query<Array<{ id: string }>>(
    kind === 'code'
      ? `INSERT INTO device_code_maps (gateway_id, system, code, refid, field, unit, priority, source)
         VALUES ($1, 'MDIL', $2, 'NBPs', 'systolic', 'mm[Hg]', 10, 'fixture') RETURNING id`
      : `INSERT INTO device_unit_maps (gateway_id, unit, to_unit, factor, addend, source) VALUES ($1, $2, 'mm[Hg]', 1, 0, 'fixture') RETURNING id`,
    [gatewayId, `F-${randomUUID().slice(0, 8)}`],
  );
  return row.id;
}
