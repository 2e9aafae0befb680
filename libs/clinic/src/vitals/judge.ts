import type { RequestContext } from '#platform';
import type { RaiseAlert } from '../alerts/index.js';
import type { ProtocolVersion, ThresholdSet } from '../protocols/index.js';
import { phaseOf, type ReadingPhase, type Session } from '../sessions/index.js';
import { breachesThatAlert, evaluateReading, type Breach, type EarlierDeviceReading, type ReadingValues } from './evaluate.js';
import { sameValues, supersede } from './corrections.js';
import { alertsOfReading } from './reading-alerts.js';
import { readingView, type NewReading, type ReadingView, type Recorder } from './reading.js';
import type { VitalReading } from './vital-reading.entity.js';

/** One request's readings, waiting for the next group transaction. */
export interface Submission {
  actor: Recorder;
  sessionId: string;
  input: NewReading[];
  batch: boolean;
  now: Date;
  /** The request's own context: its audit row and pending work carry its request id. */
  context: RequestContext | undefined;
}

/** A locked session while its readings are judged and stored: what judging needs, and what it moved. */
export interface SessionContext {
  s: Session;
  protocol: ProtocolVersion;
  t: ThresholdSet;
  baseline: VitalReading | null;
  preDoseMoaas: number | null;
  changed: boolean;
  /** The request whose reading last moved the session on (its pending "vitals overdue" carries it). */
  requestId: string | null;
}

/** A new reading as judged, in the order judged. */
export interface JudgedReading {
  sub: number;
  context: SessionContext;
  row: VitalReading;
  breaches: Breach[];
  /** A device warning that alerts only after a run of such readings: the device's earlier readings decide. */
  needsRun: boolean;
  /** The reading this one corrects (same device and time, other values), if any. */
  supersedes: string | null;
  /** Raises no alert: it arrived late, or is a device's own correction that must not alarm. */
  quiet: boolean;
}

export interface Judgement {
  judged: JudgedReading[];
  /** Per submission: its answer (new readings and duplicates, in measurement order) and how many it stored. */
  results: Map<number, { views: ReadingView[]; created: number }>;
  /** Per session: the first reading whose warning needs the device's stored readings before it. */
  historyBefore: Map<string, Date>;
  /** Stored readings a correction replaced (marked, to be written before the new ones). */
  superseded: VitalReading[];
}

/** An alert the group raises (or adds a reading to), with the submission whose reading caused it. */
export interface AlertToRaise {
  sub: number;
  alert: Omit<RaiseAlert, 'at'> & { readingId: string };
}

export const deviceKey = (sessionId: string, deviceId: string, at: Date) => `${sessionId} ${deviceId} ${at.getTime()}`;

const COMPLETE = (r: ReadingValues) => r.systolic != null && r.diastolic != null && r.heartRate != null && r.spo2 != null;

/**
 * Judges the accepted submissions' readings, each submission in measurement order (no I/O): a device
 * reading already stored (or seen earlier in the group) with the same values is a duplicate, with
 * other values a correction that supersedes it; every other one gets its phase,
 * its breaches against the session's baseline and thresholds, and may become the baseline. The
 * contexts record each session's new baseline and latest reading.
 */
export function judgeReadings(
  subs: Submission[],
  accepted: number[],
  contexts: Map<string, SessionContext>,
  stored: Map<string, VitalReading>,
  opts: { newId: () => string; recordedAt: Date },
): Judgement {
  const judged: JudgedReading[] = [];
  const results = new Map<number, { views: ReadingView[]; created: number }>();
  const historyBefore = new Map<string, Date>();
  const superseded: VitalReading[] = [];
  const fresh = new Set<VitalReading>();
  for (const i of accepted) {
    const sub = subs[i];
    const st = contexts.get(sub.sessionId)!;
    const { s, t } = st;
    const views: ReadingView[] = [];
    let created = 0;
    for (const r of [...sub.input].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime())) {
      const key = r.deviceId ? deviceKey(s.id, r.deviceId, r.measuredAt) : null;
      const existing = key ? stored.get(key) : undefined;
      if (existing && sameValues(existing, r)) {
        views.push(readingView(existing, s.baselineReadingId, true));
        continue;
      }
      const phase: ReadingPhase = phaseOf(s, r.measuredAt);
      // Before dosing only the absolute levels apply (no rise from a baseline being taken, no sedation drop).
      const breaches = evaluateReading(r, phase === 'pre-dose' ? null : judgingBase(st), t);
      const row = newRow(sub.actor, s, r, phase, breaches, opts);
      // Other values for the same device and time: a correction; the stored reading is kept, superseded by this one.
      if (existing) {
        supersede(existing, row, opts.recordedAt);
        if (!fresh.has(existing)) superseded.push(existing);
      }
      if (key) stored.set(key, row); // a resend later in this group is a duplicate of this one
      fresh.add(row);
      created++;
      // The latest complete set before dosing is the baseline the start is judged on.
      if (phase === 'pre-dose' && COMPLETE(r) && (!st.baseline || r.measuredAt >= st.baseline.measuredAt)) {
        st.baseline = row;
        s.baselineReadingId = row.id;
      }
      // Only a device's warnings wait for a run of readings: its history is read when one needs it.
      const needsRun = r.source === 'device' && t.deviceWarningConsecutive > 1 && breaches.some((b) => b.level !== 'critical');
      if (needsRun && !historyBefore.has(s.id)) historyBefore.set(s.id, r.measuredAt);
      const quiet = r.late === true || r.raisesAlerts === false;
      judged.push({ sub: i, context: st, row, breaches, needsRun, supersedes: existing?.id ?? null, quiet });
      if (!s.lastReadingAt || r.measuredAt > s.lastReadingAt) s.lastReadingAt = r.measuredAt;
      st.changed = true;
      st.requestId = sub.context?.requestId ?? null;
      views.push(readingView(row, s.baselineReadingId, false));
    }
    results.set(i, { views, created });
  }
  return { judged, results, historyBefore, superseded };
}

/** What a session's readings are judged against: its baseline, with the pre-dose MOAA/S when the baseline has none. */
function judgingBase(st: SessionContext): ReadingValues | null {
  if (st.baseline) return { ...st.baseline, moaas: st.baseline.moaas ?? st.preDoseMoaas };
  return st.preDoseMoaas != null ? { moaas: st.preDoseMoaas } : null;
}

/**
 * Which breaches alert (no I/O): a manual reading's and every critical one at once; a device warning
 * after a run of the same device's readings (another monitor's reading does not break the run), read
 * from `history` (per session, the device readings stored before the group) and the group's own so far.
 */
export function alertsToRaise(judged: JudgedReading[], history: Map<string, EarlierDeviceReading[]>, subs: Submission[]): AlertToRaise[] {
  const groupDevice = new Map<string, EarlierDeviceReading[]>();
  const out: AlertToRaise[] = [];
  for (const { sub, context, row, breaches, needsRun, quiet } of judged) {
    const { s, t } = context;
    const own = groupDevice.get(s.id) ?? [];
    groupDevice.set(s.id, own);
    const sameDevice = needsRun ? [...(history.get(s.id) ?? []), ...own].filter((e) => e.deviceId === row.deviceId) : [];
    if (row.source === 'device') own.push({ deviceId: row.deviceId, measuredAt: row.measuredAt, breached: breaches.map((b) => b.measure) });
    // A late reading (or a device's own correction) is judged and shown, and pages nobody.
    if (quiet) continue;
    for (const a of alertsOfReading(breachesThatAlert(breaches, row.source, row.measuredAt, sameDevice, t), row))
      out.push({
        sub,
        alert: {
          session: s,
          measure: a.measure,
          level: a.level,
          message: a.message,
          readingId: row.id,
          actorUserId: subs[sub].actor.userId,
        },
      });
  }
  return out;
}

function newRow(
  actor: Recorder,
  s: Session,
  r: NewReading,
  phase: ReadingPhase,
  breaches: Breach[],
  opts: { newId: () => string; recordedAt: Date },
): VitalReading {
  return {
    id: opts.newId(),
    clinicId: s.clinicId,
    sessionId: s.id,
    measuredAt: r.measuredAt,
    source: r.source,
    deviceId: r.deviceId ?? null,
    phase,
    systolic: r.systolic ?? null,
    diastolic: r.diastolic ?? null,
    heartRate: r.heartRate ?? null,
    spo2: r.spo2 ?? null,
    respiratoryRate: r.respiratoryRate ?? null,
    temperatureC: r.temperatureC ?? null,
    moaas: r.moaas ?? null,
    breachLevel: breaches.some((b) => b.level === 'critical') ? 'critical' : breaches.length ? 'warning' : 'none',
    breaches,
    recordedBy: actor.userId,
    recordedAt: opts.recordedAt,
    supersededAt: null,
    supersededBy: null,
    supersededByReadingId: null,
    late: r.late ?? false,
    timeOffsetAssumed: r.timeOffsetAssumed ?? false,
  };
}
