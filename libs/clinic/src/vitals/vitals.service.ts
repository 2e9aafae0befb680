import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, JobHandler, JobName, TransactionRunner, type Actor, type PendingWork, type Tx } from '#platform';
import { alertView, AlertsService, type AlertView } from '../alerts/alerts.service.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { Session, SessionEvent } from '../sessions/session.entity.js';
import { phaseOf, VITALS_STATUSES, type ReadingPhase } from '../sessions/session-state.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ClinicSettingsService } from '../thresholds/clinic-settings.service.js';
import { PatientThresholds } from '../thresholds/patient-thresholds.entity.js';
import { breachesThatAlert, evaluateReading, type Breach, type EarlierDeviceReading, type ReadingValues } from './evaluate.js';
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
  ) {}

  /**
   * Stores readings (one, or a batch in measurement order) and, in the same transaction, the alerts
   * they raise. A device reading already stored (same device and measurement time) is not stored again.
   */
  async record(
    actor: Actor,
    sessionId: string,
    input: NewReading[],
    batch: boolean,
  ): Promise<{ readings: ReadingView[]; alerts: AlertView[] }> {
    const now = this.clock.now();
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      const s = await this.sessions.lock(m, actor.clinicId, sessionId);
      if (!VITALS_STATUSES.includes(s.status))
        throw DomainError.conflict('SESSION_NOT_ACTIVE', `Vitals are recorded from check-in until discharge; the session is ${s.status}`);
      const problems = input.flatMap((r, i) => readingProblems(r, now, s.checkedInAt, batch ? `readings[${i}].` : ''));
      if (problems.length) throw DomainError.validation(problems);
      const protocol = await this.protocols.version(s.clinicId, s.protocolVersionId, tx.manager);
      const patientOverrides = await m.findOneBy(PatientThresholds, { patientId: s.patientId });
      const t = await this.settings.effectiveThresholds(s.clinicId, protocol, patientOverrides?.thresholds ?? null, m);
      const ordered = [...input].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
      const earlier = await this.earlierDeviceReadings(m, s.id, ordered);
      let baseline = s.baselineReadingId ? await m.findOneBy(VitalReading, { id: s.baselineReadingId }) : null;
      const preDoseMoaas = baseline?.moaas ?? (await this.latestPreDoseMoaas(m, s.id));
      const views: ReadingView[] = [];
      const raised = new Map<string, AlertView>();
      for (const r of ordered) {
        const phase: ReadingPhase = s.dosingStartedAt && r.measuredAt < s.dosingStartedAt ? 'pre-dose' : phaseOf(s.status);
        const base: ReadingValues | null = baseline
          ? { ...baseline, moaas: baseline.moaas ?? preDoseMoaas }
          : preDoseMoaas != null
            ? { moaas: preDoseMoaas }
            : null;
        // Before dosing only the absolute levels apply (no rise from a baseline being taken, no sedation drop).
        const breaches = evaluateReading(r, phase === 'pre-dose' ? null : base, t);
        const level = breaches.some((b) => b.level === 'critical') ? 'critical' : breaches.length ? 'warning' : 'none';
        const stored = await this.insert(m, actor, s, r, phase, level, breaches);
        if (!stored.created) {
          views.push(this.view(stored.row, s, true));
          continue;
        }
        const reading = stored.row;
        // The latest complete set before dosing is the baseline the start is judged on.
        if (phase === 'pre-dose' && COMPLETE(r) && (!baseline || r.measuredAt >= baseline.measuredAt)) {
          baseline = reading;
          s.baselineReadingId = reading.id;
        }
        if (r.source === 'device')
          earlier.push({ deviceId: r.deviceId ?? null, measuredAt: r.measuredAt, breached: breaches.map((b) => b.measure) });
        // The previous readings of the same device: another monitor's reading does not break the run.
        const sameDevice = earlier.slice(0, -1).filter((e) => e.deviceId === (r.deviceId ?? null));
        const alerting = breachesThatAlert(breaches, r.source, r.measuredAt, sameDevice, t);
        for (const b of alerting) {
          const { alert } = await this.alerts.raiseOrAttach(tx, {
            session: s,
            measure: b.measure,
            level: b.level,
            message: b.message,
            readingId: reading.id,
            at: now,
            actorUserId: actor.userId,
          });
          raised.set(alert.id, alertView(alert));
        }
        if (!s.lastReadingAt || r.measuredAt > s.lastReadingAt) s.lastReadingAt = r.measuredAt;
        views.push(this.view(reading, s, false));
      }
      await m.update(Session, { id: s.id }, { baselineReadingId: s.baselineReadingId, lastReadingAt: s.lastReadingAt });
      if (s.lastReadingAt && ['dosing', 'paused', 'observation', 'aborted'].includes(s.status)) {
        const every =
          phaseOf(s.status) === 'dosing'
            ? (protocol.vitals.duringDosingEveryMin ?? protocol.vitals.observationEveryMin)
            : protocol.vitals.observationEveryMin;
        await this.sessions.scheduleOverdue(tx, s, s.lastReadingAt, every, protocol.vitals.overdueAfterMin);
      }
      const created = views.filter((v) => !v.duplicate);
      if (created.length)
        await this.audit.record(tx, {
          action: 'session.vitals.record',
          resourceType: 'session',
          resourceId: s.id,
          changes: { count: created.length, duplicates: views.length - created.length, alerts: [...raised.keys()], first: created[0]?.id },
        });
      return { readings: views, alerts: [...raised.values()] };
    });
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

  private async insert(
    m: EntityManager,
    actor: Actor,
    s: Session,
    r: NewReading,
    phase: ReadingPhase,
    breachLevel: 'none' | 'warning' | 'critical',
    breaches: Breach[],
  ): Promise<{ row: VitalReading; created: boolean }> {
    const values = {
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
      breaches: breaches as never,
      recordedBy: actor.userId,
    };
    const result = await m.createQueryBuilder().insert().into(VitalReading).values(values).orIgnore().returning('*').execute();
    const id = (result.raw as { id?: string }[])[0]?.id;
    if (id) return { row: m.create(VitalReading, { ...values, id, recordedAt: new Date() }), created: true };
    const existing = await m.findOneByOrFail(VitalReading, {
      sessionId: s.id,
      deviceId: r.deviceId ?? undefined,
      measuredAt: r.measuredAt,
    });
    return { row: existing, created: false };
  }

  private async earlierDeviceReadings(m: EntityManager, sessionId: string, ordered: NewReading[]): Promise<EarlierDeviceReading[]> {
    const first = ordered.find((r) => r.source === 'device');
    if (!first) return [];
    const rows = await m.find(VitalReading, {
      where: { sessionId, source: 'device', measuredAt: LessThan(first.measuredAt) },
      order: { measuredAt: 'DESC' },
      take: 50,
    });
    return rows.reverse().map((r) => ({ deviceId: r.deviceId, measuredAt: r.measuredAt, breached: r.breaches.map((b) => b.measure) }));
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
