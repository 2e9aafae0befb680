import { QueryFailedError } from 'typeorm';
import type { Pcd01Header, Pcd01Message } from '../hl7/index.js';
import type { GatewayRow, LogEntry } from './feed-log.js';

/** What the feed reads of a frame besides its readings: its text, the rows kept raw, its times' zones. */

/** A frame as received: its bytes, text, peer, time, and its MSH as read. */
export interface Received {
  raw: Buffer;
  text: string;
  peer: string;
  at: Date;
  header: Pcd01Header;
}

/** A frame the log keeps, its MSH read or not. */
export type LoggedFrame = Pick<Received, 'raw' | 'peer' | 'at'> & { header: Pcd01Header | null };

/** The log row's fields a frame fills (the ACK and outcome are the caller's). */
export function entryOf(
  rx: LoggedFrame,
  gateway: GatewayRow | null,
  messageTime: Date | null,
): Omit<LogEntry, 'ackCode' | 'ack' | 'outcome' | 'detail'> {
  return {
    receivedAt: rx.at,
    gatewayId: gateway?.id ?? null,
    clinicId: gateway?.clinicId ?? null,
    peer: rx.peer,
    controlId: rx.header?.controlId || null,
    messageTime: messageTime ?? rx.header?.messageTime?.at ?? null,
    raw: rx.raw,
  };
}

/** MSH-18 8859/1: Latin-1; anything else as UTF-8 (PCD-01's). */
export function decode(raw: Buffer): string {
  const latin = raw.toString('latin1');
  const msh18 = /^MSH(.)/.exec(latin)?.[1] ? latin.split(/\r|\n/)[0].split(latin[3])[17] : undefined;
  return msh18 && /^8859\/1$/i.test(msh18.trim()) ? latin : raw.toString('utf8');
}

/** The insert of a message whose control id another copy has just claimed. */
export function claimClash(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { constraint?: string }).constraint === 'ux_hl7_messages_control';
}

/** The OBX rows kept as sent (unknown codes, codes not charted, other value types), for the log. */
export function rawObservations(msg: Pcd01Message) {
  return msg.observations
    .filter((o) => o.kind === 'raw' || o.kind === 'retracted' || o.outranked)
    .map((o) => ({
      obx: o.sequence,
      code: o.code,
      refid: o.refid,
      system: o.system,
      type: o.valueType,
      value: o.value,
      unit: o.unit,
      status: o.status,
      kind: o.outranked ? 'outranked' : o.kind,
    }));
}

/** Times sent without an offset were read in the gateway's zone: the log says so. */
export function zoneNote(msg: Pcd01Message): { zoneAssumed?: true } {
  return msg.readings.some((r) => r.assumedZone) || msg.header.messageTime?.assumedZone ? { zoneAssumed: true } : {};
}
