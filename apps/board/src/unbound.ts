/**
 * Monitor readings Vigil kept unbound (GET /api/v1/unbound-readings): the HL7 feed could not put
 * them in a session. The board groups them by monitor and reason, so a nurse sees "Chair 7: 3
 * readings, no patient checked in" once rather than a line per minute, and attaches or discards them.
 */

export type UnboundReason = 'unknown-device' | 'no-session' | 'session-ended' | 'patient-mismatch';

export interface UnboundReading {
  id: string;
  reason: UnboundReason;
  chairId: string | null;
  deviceId: string;
  location: string | null;
  measuredAt: string;
  values: Partial<Record<'systolic' | 'diastolic' | 'heartRate' | 'spo2' | 'respiratoryRate' | 'temperatureC', number>>;
}

export interface UnboundGroup {
  key: string;
  /** The chair of the monitor's registration, by name (null: a monitor Vigil does not know, or a chair not found). */
  chair: string | null;
  /** Where the readings come from, as a person names it: the chair, else the bed location sent, else the device. */
  where: string;
  reason: UnboundReason;
  /** Newest measurement first. */
  readings: UnboundReading[];
}

/** Why no session took the readings, in the words the nurse acts on. */
export const REASON_TEXT: Record<UnboundReason, string> = {
  'no-session': 'no patient checked in at this chair',
  'session-ended': 'the session in this chair has ended',
  'patient-mismatch': 'the monitor names another patient',
  'unknown-device': 'a monitor Vigil does not know',
};

/** "BP 150/92 · HR 118 · SpO2 85 · RR 14 · T 36.8" (what the reading has). */
export function valuesText(v: UnboundReading['values']): string {
  const parts: string[] = [];
  if (v.systolic !== undefined || v.diastolic !== undefined) parts.push(`BP ${v.systolic ?? '–'}/${v.diastolic ?? '–'}`);
  if (v.heartRate !== undefined) parts.push(`HR ${v.heartRate}`);
  if (v.spo2 !== undefined) parts.push(`SpO2 ${v.spo2}`);
  if (v.respiratoryRate !== undefined) parts.push(`RR ${v.respiratoryRate}`);
  if (v.temperatureC !== undefined) parts.push(`T ${v.temperatureC}`);
  return parts.join(' · ') || 'no values';
}

/** A bed location as the monitor sent it (PV1-3, "INFUSION^^CHAIR-03^MAIN") in words: "INFUSION CHAIR-03 MAIN". */
export function placeText(location: string | null): string | null {
  const parts = (location ?? '').split(/[\^&~]/).filter((p) => p.trim() !== '');
  return parts.length ? parts.join(' ') : null;
}

/** Groups by monitor (device) and reason, the group with the newest reading first; the chair named through `chairName`. */
export function groupUnbound(items: UnboundReading[], chairName: (chairId: string) => string | null): UnboundGroup[] {
  const groups = new Map<string, UnboundGroup>();
  for (const u of items) {
    const key = `${u.deviceId}|${u.reason}`;
    let g = groups.get(key);
    if (!g) {
      const chair = u.chairId ? chairName(u.chairId) : null;
      g = { key, chair, where: chair ?? placeText(u.location) ?? `monitor ${u.deviceId}`, reason: u.reason, readings: [] };
      groups.set(key, g);
    }
    g.readings.push(u);
  }
  const list = [...groups.values()];
  for (const g of list) g.readings.sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  return list.sort((a, b) => b.readings[0].measuredAt.localeCompare(a.readings[0].measuredAt));
}
