import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  JobHandler,
  JobName,
  PendingWorkService,
  requestContext,
  TransactionRunner,
  VigilConfig,
  type Actor,
  type PendingWork,
  type RequestContext,
  type Tx,
} from '#platform';
import { alertView, AlertsService, type AlertView, type RaiseAlert } from '../alerts/alerts.service.js';
import type { ProtocolVersion } from '../protocols/protocol.entity.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { Session, SessionEvent } from '../sessions/session.entity.js';
import { phaseOf, VITALS_STATUSES, type ReadingPhase } from '../sessions/session-state.js';
import { overdueWork, SessionsService } from '../sessions/sessions.service.js';
import type { ClinicSettings } from '../settings/clinic-settings.entity.js';
import { ClinicSettingsService } from '../settings/clinic-settings.service.js';
import { PatientThresholds } from '../thresholds/patient-thresholds.entity.js';
import type { ThresholdSet } from '../protocols/protocol-definition.js';
import { mergeThresholds } from '../protocols/threshold-rules.js';
import {
  breachesThatAlert,
  evaluateReading,
  type AlertLevel,
  type Breach,
  type EarlierDeviceReading,
  type ReadingValues,
} from './evaluate.js';
import { GroupCommitter, type Outcome } from './group-commit.js';
import { readingProblems, type RawReading } from './plausibility.js';
import { VitalReading } from './vital-reading.entity.js';

export interface NewReading extends RawReading {
  source: 'manual' | 'device';
  deviceId?: string | null;
}

export interface ReadingView {
  id: string;
  sessionId: string;
  measuredAt: string;
  source: 'manual' | 'device';
  deviceId: string | null;
  phase: ReadingPhase;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
  respiratoryRate: number | null;
  temperatureC: number | null;
  moaas: number | null;
  breachLevel: 'none' | 'warning' | 'critical';
  breaches: Breach[];
  baseline: boolean;
  /** true when a device resent a reading already stored: nothing new was written. */
  duplicate: boolean;
  recordedBy: string;
}

/** clinical-rules.md section 3: crisis symptoms raise a critical "emergency" alert whatever the numbers (label wording). */
export const CRISIS_SYMPTOMS = [
  'chest-pain',
  'shortness-of-breath',
  'sudden-severe-headache',
  'visual-change',
  'seizure',
  'reduced-consciousness',
  'focal-neurological-deficit',
] as const;
export type CrisisSymptom = (typeof CRISIS_SYMPTOMS)[number];

const COMPLETE = (r: ReadingValues) => r.systolic != null && r.diastolic != null && r.heartRate != null && r.spo2 != null;

export interface RecordResult {
  readings: ReadingView[];
  alerts: AlertView[];
}

/** One request's readings, waiting for the next group transaction. */
interface Submission {
  actor: Actor;
  sessionId: string;
  input: NewReading[];
  batch: boolean;
  now: Date;
  /** The request's own context: its audit row and pending work carry its request id. */
  context: RequestContext | undefined;
}

/** A locked session while its readings are judged and stored. */
interface SessionState {
  s: Session;
  protocol: ProtocolVersion;
  t: ThresholdSet;
  baseline: VitalReading | null;
  preDoseMoaas: number | null;
  /** Device readings stored before this group (read when a warning first needs them). */
  stored: EarlierDeviceReading[] | null;
  /** Device readings of this group so far, in the order judged. */
  groupDevice: EarlierDeviceReading[];
  changed: boolean;
  /** The request whose reading last moved the session on (its pending "vitals overdue" carries it). */
  requestId: string | null;
}

/** The most readings one batch request carries; also what one group transaction takes (one full batch, or many single readings). */
export const MAX_READINGS_PER_BATCH = 500;
const NO_CONTEXT: RequestContext = { requestId: 'vitals-ingest' };

const deviceKey = (sessionId: string, deviceId: string, at: Date) => `${sessionId} ${deviceId} ${at.getTime()}`;

function readingValues(actor: Actor, s: Session, r: NewReading, phase: ReadingPhase, breachLevel: AlertLevel | 'none', breaches: Breach[]) {
  return {
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
    breachLevel,
    breaches,
    recordedBy: actor.userId,
  };
}

@Injectable()
export class VitalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
    private readonly alerts: AlertsService,
    private readonly pendingWork: PendingWorkService,
    private readonly config: VigilConfig,
  ) {}

  /**
   * Stores readings (one, or a batch in measurement order) and, in the same transaction, the alerts
   * they raise. A device reading already stored (same device and measurement time) is not stored again.
   *
   * Concurrent requests share a transaction (group commit, see GroupCommitter): under load the
   * readings of many bedside monitors are stored with a handful of statements instead of a dozen
   * per reading. Each request keeps its own answer, its own audit row and its own errors.
   */
  async record(actor: Actor, sessionId: string, input: NewReading[], batch: boolean): Promise<RecordResult> {
    const sub: Submission = { actor, sessionId, input, batch, now: this.clock.now(), context: requestContext.current() };
    // Inside a unit of work already (an idempotent request): the reading belongs to that one.
    const ambient = this.transactions.current();
    if (!ambient) return this.ingest.submit(sub);
    const [outcome] = await this.recordGroup(ambient, [sub]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** One lane per two pooled connections: at most half the pool in ingest transactions, so reads and other writes keep flowing. */
  private readonly ingest = new GroupCommitter<Submission, RecordResult>(
    (subs) => this.transactions.run((tx) => this.recordGroup(tx, subs)),
    {
      lanes: Math.max(1, Math.floor(this.config.DATABASE_POOL_SIZE / 2)),
      maxWeight: MAX_READINGS_PER_BATCH,
      key: (sub) => sub.sessionId,
      weight: (sub) => sub.input.length,
    },
  );

  /**
   * The submissions' readings in one transaction. Every check that can refuse a submission runs
   * before anything is written, so a refused submission writes nothing and the others go on.
   */
  private async recordGroup(tx: Tx, subs: Submission[]): Promise<Array<Outcome<RecordResult>>> {
    const m = tx.manager;
    const outcomes: Array<Outcome<RecordResult>> = [];
    const ids = [...new Set(subs.map((sub) => sub.sessionId))].sort();
    const sessions = new Map(
      (
        await m.createQueryBuilder(Session, 's').setLock('pessimistic_write').where('s.id IN (:...ids)', { ids }).orderBy('s.id').getMany()
      ).map((s) => [s.id, s]),
    );
    const accepted: number[] = [];
    subs.forEach((sub, i) => {
      const s = sessions.get(sub.sessionId);
      const refusal = !s || s.clinicId !== sub.actor.clinicId ? DomainError.notFound('Session') : this.refusal(s, sub);
      if (refusal) outcomes[i] = { ok: false, error: refusal };
      else accepted.push(i);
    });
    if (accepted.length === 0) return outcomes;

    const states = await this.sessionStates(
      m,
      [...new Set(accepted.map((i) => subs[i].sessionId))].map((id) => sessions.get(id)!),
    );
    const stored = await this.storedDeviceReadings(
      m,
      accepted.flatMap((i) => subs[i].input.map((r) => ({ sessionId: subs[i].sessionId, ...r }))),
    );
    const rows: VitalReading[] = [];
    const toRaise: Array<{ sub: number; alert: Omit<RaiseAlert, 'at'> }> = [];
    const results = new Map<number, { views: ReadingView[]; created: number }>();
    for (const i of accepted) {
      const sub = subs[i];
      const st = states.get(sub.sessionId)!;
      const { s, t } = st;
      const views: ReadingView[] = [];
      let created = 0;
      for (const r of [...sub.input].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime())) {
        const key = r.deviceId ? deviceKey(s.id, r.deviceId, r.measuredAt) : null;
        const existing = key ? stored.get(key) : undefined;
        if (existing) {
          views.push(this.view(existing, s, true));
          continue;
        }
        const phase: ReadingPhase = s.dosingStartedAt && r.measuredAt < s.dosingStartedAt ? 'pre-dose' : phaseOf(s.status);
        const base: ReadingValues | null = st.baseline
          ? { ...st.baseline, moaas: st.baseline.moaas ?? st.preDoseMoaas }
          : st.preDoseMoaas != null
            ? { moaas: st.preDoseMoaas }
            : null;
        // Before dosing only the absolute levels apply (no rise from a baseline being taken, no sedation drop).
        const breaches = evaluateReading(r, phase === 'pre-dose' ? null : base, t);
        const level = breaches.some((b) => b.level === 'critical') ? 'critical' : breaches.length ? 'warning' : 'none';
        const reading = m.create(VitalReading, {
          ...readingValues(sub.actor, s, r, phase, level, breaches),
          id: randomUUID(),
          recordedAt: new Date(),
        });
        rows.push(reading);
        if (key) stored.set(key, reading); // a resend later in this group is a duplicate of this one
        created++;
        // The latest complete set before dosing is the baseline the start is judged on.
        if (phase === 'pre-dose' && COMPLETE(r) && (!st.baseline || r.measuredAt >= st.baseline.measuredAt)) {
          st.baseline = reading;
          s.baselineReadingId = reading.id;
        }
        // The previous readings of the same device: another monitor's reading does not break the run.
        // Only a device's warnings wait for a run of readings: the history is read when one needs it.
        const needsRun = r.source === 'device' && t.deviceWarningConsecutive > 1 && breaches.some((b) => b.level !== 'critical');
        const sameDevice = needsRun
          ? (await this.earlierDeviceReadings(m, st, r.measuredAt)).filter((e) => e.deviceId === (r.deviceId ?? null))
          : [];
        if (r.source === 'device')
          st.groupDevice.push({ deviceId: r.deviceId ?? null, measuredAt: r.measuredAt, breached: breaches.map((b) => b.measure) });
        for (const b of breachesThatAlert(breaches, r.source, r.measuredAt, sameDevice, t))
          toRaise.push({
            sub: i,
            alert: {
              session: s,
              measure: b.measure,
              level: b.level,
              message: b.message,
              readingId: reading.id,
              actorUserId: sub.actor.userId,
            },
          });
        if (!s.lastReadingAt || r.measuredAt > s.lastReadingAt) s.lastReadingAt = r.measuredAt;
        st.changed = true;
        st.requestId = sub.context?.requestId ?? null;
        views.push(this.view(reading, s, false));
      }
      results.set(i, { views, created });
    }

    await this.insertReadings(m, rows);
    const raised = new Map<number, Map<string, AlertView>>(accepted.map((i) => [i, new Map()]));
    // One pass per alert: every reading of the group breaching that measure at that level.
    const perAlert = new Map<
      string,
      { first: (typeof toRaise)[number]; readings: Array<{ id: string; message: string }>; subs: Set<number> }
    >();
    for (const x of toRaise) {
      const key = `${x.alert.session.id} ${x.alert.measure} ${x.alert.level}`;
      const entry = perAlert.get(key) ?? { first: x, readings: [], subs: new Set<number>() };
      perAlert.set(key, entry);
      entry.readings.push({ id: x.alert.readingId!, message: x.alert.message });
      entry.subs.add(x.sub);
    }
    for (const { first, readings, subs: by } of perAlert.values()) {
      const { alert } = await requestContext.run(subs[first.sub].context ?? NO_CONTEXT, () =>
        this.alerts.raiseOrAttachReadings(tx, { ...first.alert, at: subs[first.sub].now }, readings),
      );
      for (const i of by) raised.get(i)!.set(alert.id, alertView(alert));
    }
    const changed = [...states.values()].filter((st) => st.changed).map((st) => st.s);
    if (changed.length)
      await m.query(
        `UPDATE sessions s SET baseline_reading_id = v.baseline, last_reading_at = v.last, version = s.version + 1, updated_at = CURRENT_TIMESTAMP
           FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS v(id, baseline, last) WHERE s.id = v.id`,
        [changed.map((s) => s.id), changed.map((s) => s.baselineReadingId), changed.map((s) => s.lastReadingAt)],
      );
    const overdue = [...states.values()].filter(
      ({ s }) => s.lastReadingAt && ['dosing', 'paused', 'observation', 'aborted'].includes(s.status),
    );
    await this.pendingWork.scheduleMany(
      tx,
      overdue.map((st) => {
        const { s, protocol } = st;
        const every =
          phaseOf(s.status) === 'dosing'
            ? (protocol.vitals.duringDosingEveryMin ?? protocol.vitals.observationEveryMin)
            : protocol.vitals.observationEveryMin;
        return { ...overdueWork(s, s.lastReadingAt!, every, protocol.vitals.overdueAfterMin), requestId: st.requestId ?? undefined };
      }),
    );
    const audits: Parameters<AuditService['recordMany']>[1] = [];
    for (const i of accepted) {
      const { views, created } = results.get(i)!;
      const alerts = [...raised.get(i)!.values()];
      if (created > 0)
        audits.push({
          action: 'session.vitals.record',
          resourceType: 'session',
          resourceId: subs[i].sessionId,
          actor: subs[i].actor,
          context: subs[i].context,
          changes: {
            count: created,
            duplicates: views.length - created,
            alerts: alerts.map((a) => a.id),
            first: views.find((v) => !v.duplicate)?.id,
          },
        });
      outcomes[i] = { ok: true, value: { readings: views, alerts } };
    }
    await this.audit.recordMany(tx, audits);
    return outcomes;
  }

  /** Why this submission is refused before anything is written, if it is. */
  private refusal(s: Session, sub: Submission): DomainError | null {
    if (!VITALS_STATUSES.includes(s.status))
      return DomainError.conflict('SESSION_NOT_ACTIVE', `Vitals are recorded from check-in until discharge; the session is ${s.status}`);
    const problems = sub.input.flatMap((r, i) => readingProblems(r, sub.now, s.checkedInAt, sub.batch ? `readings[${i}].` : ''));
    return problems.length ? DomainError.validation(problems) : null;
  }

  /** What judging a session's readings needs: protocol, effective thresholds, baseline. */
  private async sessionStates(m: EntityManager, sessions: Session[]): Promise<Map<string, SessionState>> {
    const overrides = new Map(
      (await m.findBy(PatientThresholds, { patientId: In([...new Set(sessions.map((s) => s.patientId))]) })).map((p) => [
        p.patientId,
        p.thresholds,
      ]),
    );
    const baselineIds = sessions.flatMap((s) => (s.baselineReadingId ? [s.baselineReadingId] : []));
    const baselines = new Map(baselineIds.length ? (await m.findBy(VitalReading, { id: In(baselineIds) })).map((r) => [r.id, r]) : []);
    const settings = new Map<string, ClinicSettings>();
    const states = new Map<string, SessionState>();
    for (const s of sessions) {
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, m);
      if (!settings.has(s.clinicId)) settings.set(s.clinicId, await this.settings.forClinic(s.clinicId, m));
      const baseline = (s.baselineReadingId && baselines.get(s.baselineReadingId)) || null;
      states.set(s.id, {
        s,
        protocol,
        t: mergeThresholds(settings.get(s.clinicId)!.thresholds, protocol.thresholds, overrides.get(s.patientId) ?? null),
        baseline,
        preDoseMoaas: baseline?.moaas ?? (await this.latestPreDoseMoaas(m, s.id)),
        stored: null,
        groupDevice: [],
        changed: false,
        requestId: null,
      });
    }
    return states;
  }

  /** Readings of these (session, device, measured at) already stored: a device resending them writes nothing. */
  private async storedDeviceReadings(
    m: EntityManager,
    readings: Array<{ sessionId: string; deviceId?: string | null; measuredAt: Date }>,
  ): Promise<Map<string, VitalReading>> {
    const keyed = readings.filter((r) => r.deviceId);
    if (keyed.length === 0) return new Map();
    const found: Array<{ id: string }> = await m.query(
      `SELECT v.id FROM vital_readings v
         JOIN unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS k(session_id, device_id, measured_at)
           ON v.session_id = k.session_id AND v.device_id = k.device_id AND v.measured_at = k.measured_at`,
      [keyed.map((r) => r.sessionId), keyed.map((r) => r.deviceId), keyed.map((r) => r.measuredAt)],
    );
    if (found.length === 0) return new Map();
    const rows = await m.findBy(VitalReading, { id: In(found.map((f) => f.id)) });
    return new Map(rows.map((r) => [deviceKey(r.sessionId, r.deviceId!, r.measuredAt), r]));
  }

  /** All the group's new readings in one statement. */
  private async insertReadings(m: EntityManager, rows: VitalReading[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof VitalReading>(k: K) => rows.map((r) => r[k]);
    const inserted: unknown[] = await m.query(
      `INSERT INTO vital_readings (id, clinic_id, session_id, measured_at, source, device_id, phase, systolic, diastolic, heart_rate, spo2,
                                   respiratory_rate, temperature_c, moaas, breach_level, breaches, recorded_by)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::smallint[],
                            $9::smallint[], $10::smallint[], $11::smallint[], $12::smallint[], $13::numeric[], $14::smallint[], $15::text[],
                            $16::jsonb[], $17::uuid[])
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        col('id'),
        col('clinicId'),
        col('sessionId'),
        col('measuredAt'),
        col('source'),
        col('deviceId'),
        col('phase'),
        col('systolic'),
        col('diastolic'),
        col('heartRate'),
        col('spo2'),
        col('respiratoryRate'),
        col('temperatureC'),
        col('moaas'),
        col('breachLevel'),
        rows.map((r) => JSON.stringify(r.breaches)),
        col('recordedBy'),
      ],
    );
    // The sessions are locked, so nothing else stores their readings meanwhile; if something did,
    // the group is rolled back and each request is run again on its own.
    if (inserted.length !== rows.length) throw new Error(`${rows.length - inserted.length} reading(s) were stored concurrently`);
  }

  /** Crisis symptoms entered by a nurse: a critical emergency alert at once. */
  async emergency(actor: Actor, sessionId: string, symptoms: CrisisSymptom[], note: string | null): Promise<AlertView> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const s = await this.sessions.lock(tx.manager, actor.clinicId, sessionId);
      if (!VITALS_STATUSES.includes(s.status)) throw DomainError.conflict('SESSION_NOT_ACTIVE', `The session is ${s.status}`);
      const message = `Crisis symptoms: ${symptoms.join(', ')}${note ? ` (${note})` : ''}`;
      const { alert } = await this.alerts.raiseOrAttach(tx, {
        session: s,
        measure: 'emergency',
        level: 'critical',
        message,
        at: now,
        actorUserId: actor.userId,
      });
      await tx.manager.insert(SessionEvent, {
        clinicId: s.clinicId,
        sessionId: s.id,
        type: 'emergency',
        fromStatus: s.status,
        toStatus: s.status,
        occurredAt: now,
        actorUserId: actor.userId,
        data: { symptoms, note, alertId: alert.id } as never,
      });
      await this.audit.record(tx, {
        action: 'session.emergency',
        resourceType: 'session',
        resourceId: s.id,
        changes: { symptoms, note, alertId: alert.id },
      });
      return alertView(alert);
    });
  }

  async list(actor: Actor, sessionId: string): Promise<ReadingView[]> {
    const s = await this.sessions.find(this.dataSource.manager, actor.clinicId, sessionId);
    const rows = await this.dataSource.getRepository(VitalReading).find({ where: { sessionId }, order: { measuredAt: 'ASC', id: 'ASC' } });
    return rows.map((r) => this.view(r, s, false));
  }

  /** The next reading did not come: a warning alert (it stays open until someone answers it). */
  @JobHandler(JobName.VitalsOverdue)
  async vitalsOverdue(work: PendingWork, tx: Tx): Promise<void> {
    const s = await tx.manager
      .createQueryBuilder(Session, 's')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id: work.subjectId })
      .getOne();
    if (!s || !['dosing', 'paused', 'observation', 'aborted'].includes(s.status)) return;
    const since = s.lastReadingAt ?? s.dosingStartedAt;
    await this.alerts.raiseOrAttach(tx, {
      session: s,
      measure: 'vitals-overdue',
      level: 'warning',
      message: `No vitals since ${since?.toISOString() ?? 'the start of dosing'}`,
      at: this.clock.now(),
    });
  }

  /** The session's device readings before this group (read once, the 50 latest), then the group's own so far. */
  private async earlierDeviceReadings(m: EntityManager, st: SessionState, before: Date): Promise<EarlierDeviceReading[]> {
    if (!st.stored) {
      const rows = await m.find(VitalReading, {
        where: { sessionId: st.s.id, source: 'device', measuredAt: LessThan(before) },
        order: { measuredAt: 'DESC' },
        take: 50,
      });
      st.stored = rows
        .reverse()
        .map((r) => ({ deviceId: r.deviceId, measuredAt: r.measuredAt, breached: r.breaches.map((b) => b.measure) }));
    }
    return [...st.stored, ...st.groupDevice];
  }

  private async latestPreDoseMoaas(m: EntityManager, sessionId: string): Promise<number | null> {
    const row = await m
      .createQueryBuilder(VitalReading, 'v')
      .where(`v.session_id = :sessionId AND v.phase = 'pre-dose' AND v.moaas IS NOT NULL`, { sessionId })
      .orderBy('v.measured_at', 'DESC')
      .getOne();
    return row?.moaas ?? null;
  }

  private view(r: VitalReading, s: Pick<Session, 'baselineReadingId'>, duplicate: boolean): ReadingView {
    return {
      id: r.id,
      sessionId: r.sessionId,
      measuredAt: r.measuredAt.toISOString(),
      source: r.source,
      deviceId: r.deviceId,
      phase: r.phase,
      systolic: r.systolic,
      diastolic: r.diastolic,
      heartRate: r.heartRate,
      spo2: r.spo2,
      respiratoryRate: r.respiratoryRate,
      temperatureC: r.temperatureC,
      moaas: r.moaas,
      breachLevel: r.breachLevel,
      breaches: r.breaches,
      baseline: s.baselineReadingId === r.id,
      duplicate,
      recordedBy: r.recordedBy,
    };
  }
}
