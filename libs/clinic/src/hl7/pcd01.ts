import { convert, mapCode, mapUnit, type DeviceField, type Mappings } from './code-maps.js';
import { parseHl7Time } from './hl7-time.js';
import { component, components, parseMessage, rawField, type Encoding, type Segment } from './message.js';
import { EUI64, readHeader, type HeaderOptions, type Pcd01Header } from './pcd01-header.js';
import type { Hl7Problem } from './problems.js';

/**
 * One OBX row as read. `kind`: `vital` fills a reading field; `raw` is kept as sent and never charted
 * nor alarmed (an unknown code, a code Vigil does not chart, a non-numeric type, a device's "no
 * value"); `hierarchy` is a device-containment row (no value); `retracted` is a value the device
 * withdrew (OBX-11 D or W).
 */
export interface Observation {
  sequence: number;
  setId: string;
  valueType: string;
  code: string;
  refid: string;
  system: string;
  subId: string;
  value: string;
  unit: string;
  status: string;
  measuredAt: string | null;
  kind: 'vital' | 'raw' | 'hierarchy' | 'retracted';
  field: DeviceField | null;
  /** The value in the field's unit (converted, rounded), for `vital` rows. */
  fieldValue: number | null;
  /** Its code's priority for the field (lower wins when two codes fill one field at one time). */
  priority: number | null;
  /** A `vital` row left out of its reading: another code filled the field at that time. */
  outranked?: boolean;
}

/** The vitals a device measured at one time (OBX-14), as one reading; `obx` names the row each field came from. */
export interface DeviceReading {
  measuredAt: Date;
  /** The time had no offset: it was read in the gateway's zone. */
  assumedZone: boolean;
  values: Partial<Record<DeviceField, number>>;
  obx: Partial<Record<DeviceField, number>>;
}

export interface Pcd01Message {
  header: Pcd01Header;
  /** PID-3 (first identifier): the MRN when someone admitted the patient on the monitor. */
  patientMrn: string | null;
  /** PV1-3 as sent (`point of care^room^bed^facility`), or null. */
  location: string | null;
  /** The monitor's EUI-64: from OBX-18, else from MSH-3. */
  eui64: string | null;
  observations: Observation[];
  readings: DeviceReading[];
  /** Values the device withdrew (OBX-11 D or W), per measurement time. */
  retractions: Retraction[];
  problems: Hl7Problem[];
}

/** The fields a device withdrew from its reading of one measurement time, and the OBX rows that said so. */
export interface Retraction {
  measuredAt: Date;
  fields: DeviceField[];
  obx: number[];
}

/** OBX-11 values (HL7 table 0085) a device row may carry: results, a correction, no value, withdrawn. */
const STATUSES = { R: 'vital', F: 'vital', C: 'vital', X: 'hierarchy', D: 'retracted', W: 'retracted' } as const;
const NUMERIC = /^-?\d+(\.\d+)?$/;
/** IEEE 11073 FLOAT special values (NaN, NRes, ±infinity) as gateways print them: no measurement. */
const NO_VALUE = new Set(['8388607', '-8388608', '8388606', '-8388606', '-8388607']);

/**
 * An IHE PCD-01 ORU^R01 message (pure): its header, patient, location, device, every OBX row and the
 * readings they make, with every problem named. Null when the text has no readable MSH (nothing can
 * be answered). A header problem (AR) stops there; content problems (AE) are all listed.
 */
export function parsePcd01(text: string, maps: Mappings, opts: HeaderOptions): Pcd01Message | null {
  const msg = parseMessage(text);
  if (!msg) return null;
  const { header, problems } = readHeader(msg, opts);
  const out: Pcd01Message = {
    header,
    patientMrn: null,
    location: null,
    eui64: header.eui64,
    observations: [],
    readings: [],
    retractions: [],
    problems,
  };
  if (problems.some((p) => p.ack === 'AR')) return out;
  const enc = msg.encoding;
  let obr: Segment | undefined;
  let obxEui: string | null = null;
  for (const seg of msg.segments) {
    if (seg.id === 'PID') out.patientMrn = component(seg, 3, 1, enc) || null;
    else if (seg.id === 'PV1') out.location = components(seg, 3, enc).join('^').replace(/\^+$/, '') || null;
    else if (seg.id === 'OBR') obr = seg;
    else if (seg.id === 'OBX') {
      if (!obr && !problems.some((p) => p.code === '100'))
        problems.push({ ack: 'AE', code: '100', segment: 'OBX', sequence: seg.sequence, field: 0, text: 'OBX before any OBR' });
      const eui = component(seg, 18, 1, enc);
      if (!obxEui && EUI64.test(eui)) obxEui = eui.toUpperCase();
      out.observations.push(observation(seg, obr, enc, maps, opts.timeZone, problems));
    }
  }
  out.eui64 = obxEui ?? header.eui64;
  if (out.observations.length === 0) problems.push({ ack: 'AE', code: '100', segment: 'OBX', sequence: 1, field: 0, text: 'no OBX row' });
  out.readings = readingsOf(out.observations, opts.timeZone);
  out.retractions = retractionsOf(out.observations, opts.timeZone);
  return out;
}

function observation(
  seg: Segment,
  obr: Segment | undefined,
  enc: Encoding,
  maps: Mappings,
  tz: string,
  problems: Hl7Problem[],
): Observation {
  const c = (n: number, k = 1) => component(seg, n, k, enc);
  const o: Observation = {
    sequence: seg.sequence,
    setId: c(1),
    valueType: c(2).toUpperCase(),
    code: c(3, 1),
    refid: c(3, 2),
    system: c(3, 3),
    subId: c(4),
    value: rawField(seg, 5, enc).trim(),
    unit: components(seg, 6, enc).join('^').replace(/\^+$/, ''),
    status: c(11).toUpperCase(),
    measuredAt: c(14) || component(obr, 7, 1, enc) || null,
    kind: 'raw',
    field: null,
    fieldValue: null,
    priority: null,
  };
  const problem: ProblemAt = (code, field, text, comp) =>
    problems.push({ ack: 'AE', code, segment: 'OBX', sequence: seg.sequence, field, component: comp, text });
  const status = STATUSES[o.status as keyof typeof STATUSES] as Observation['kind'] | undefined;
  // A withdrawn value (D, W) often comes without a value: its code and time say which one.
  if (status === 'retracted') return retracted(o, maps, tz, problem);
  if (status === 'hierarchy' || (!o.valueType && !o.value)) return { ...o, kind: 'hierarchy' };
  if (!o.status) problem('101', 11, 'the observation status is missing');
  else if (!status) problem('103', 11, `status ${o.status} is not one Vigil takes (R, F, C, X, D, W)`);
  if (o.valueType !== 'NM') return o;
  if (!NUMERIC.test(o.value)) {
    problem('102', 5, `"${o.value}" is not a number`);
    return o;
  }
  if (!o.system) {
    problem('101', 3, `${o.code || o.refid}: the coding system is missing`, 3);
    return o;
  }
  const mapped = mapCode(maps, o.code, o.refid, o.system);
  if (!mapped?.field || NO_VALUE.has(o.value)) return o;
  const unit = mapUnit(maps, components(seg, 6, enc), mapped.unit ?? '');
  if (!unit) {
    problem('103', 6, `unit "${o.unit || '(none)'}" is not a unit of ${mapped.field} (${mapped.unit})`);
    return o;
  }
  if (!hasTime(o, tz, problem)) return o;
  return { ...o, kind: 'vital', field: mapped.field, fieldValue: convert(Number(o.value), unit, mapped.field), priority: mapped.priority };
}

type ProblemAt = (code: Hl7Problem['code'], field: number, text: string, comp?: number) => void;

/** Whether the row has a measurement time Vigil can read (else the problem is named). */
function hasTime(o: Observation, tz: string, problem: ProblemAt): boolean {
  if (!o.measuredAt) problem('101', 14, 'no measurement time (OBX-14, nor OBR-7)');
  else if (!parseHl7Time(o.measuredAt, tz)) problem('102', 14, `"${o.measuredAt}" is not an HL7 time`);
  else return true;
  return false;
}

/**
 * A row the device withdrew (OBX-11 D: deleted, W: sent wrong): its value does not matter (often
 * empty); a mapped code with its measurement time names the value to withdraw. Unmapped: kept raw.
 */
function retracted(o: Observation, maps: Mappings, tz: string, problem: ProblemAt): Observation {
  if (!o.system) {
    problem('101', 3, `${o.code || o.refid}: the coding system is missing`, 3);
    return o;
  }
  const mapped = mapCode(maps, o.code, o.refid, o.system);
  if (!mapped?.field || !hasTime(o, tz, problem)) return o;
  return { ...o, kind: 'retracted', field: mapped.field };
}

/** The withdrawn rows grouped by measurement time: the fields to withdraw from what was stored for that time. */
function retractionsOf(observations: Observation[], tz: string): Retraction[] {
  const byTime = new Map<number, Retraction>();
  for (const o of observations) {
    const time = o.kind === 'retracted' && o.measuredAt ? parseHl7Time(o.measuredAt, tz) : null;
    if (!time || !o.field) continue;
    const r = byTime.get(time.at.getTime()) ?? { measuredAt: time.at, fields: [], obx: [] };
    byTime.set(time.at.getTime(), r);
    if (!r.fields.includes(o.field)) r.fields.push(o.field);
    r.obx.push(o.sequence);
  }
  return [...byTime.values()].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
}

/** The vital rows grouped by measurement time into readings; two codes for one field at one time: the lower priority wins. */
function readingsOf(observations: Observation[], tz: string): DeviceReading[] {
  const byTime = new Map<number, DeviceReading>();
  const chosen = new Map<string, Observation>();
  for (const o of observations) {
    const time = o.kind === 'vital' && o.measuredAt ? parseHl7Time(o.measuredAt, tz) : null;
    if (!time || !o.field) continue;
    const r = byTime.get(time.at.getTime()) ?? { measuredAt: time.at, assumedZone: time.assumedZone, values: {}, obx: {} };
    byTime.set(time.at.getTime(), r);
    const key = `${time.at.getTime()} ${o.field}`;
    const held = chosen.get(key);
    if (held && (held.priority ?? 0) <= (o.priority ?? 0)) {
      o.outranked = true;
      continue;
    }
    if (held) held.outranked = true;
    chosen.set(key, o);
    r.values[o.field] = o.fieldValue!;
    r.obx[o.field] = o.sequence;
  }
  return [...byTime.values()].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
}
