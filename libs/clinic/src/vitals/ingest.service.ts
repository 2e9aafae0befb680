import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  ErrorCode,
  PendingWorkService,
  requestContext,
  TransactionRunner,
  VigilConfig,
  type RequestContext,
  type Tx,
} from '#platform';
import { alertView, AlertsService, type AlertView } from '../alerts/index.js';
import { ClinicEventBus } from '../events/index.js';
import { ProtocolsService } from '../protocols/index.js';
import { isDosed, SessionsService, VITALS_STATUSES, type Session } from '../sessions/index.js';
import { alertKey, alertsAnsweredBy, alertsToClear } from './answered-alerts.js';
import { GroupCommitter, type Outcome } from './group-commit.js';
import { alertsToRaise, judgeReadings, type AlertToRaise, type Judgement, type SessionContext, type Submission } from './judge.js';
import { judgingContexts } from './judging-context.js';
import { readingProblems } from './plausibility.js';
import type { NewReading, ReadingView, Recorder } from './reading.js';
import { earlierDeviceReadings, insertReadings, markSuperseded } from './reading-rows.js';
import type { VitalReading } from './vital-reading.entity.js';
import { overdueWork, readingEveryMin } from './vitals-overdue.js';

export interface RecordResult {
  readings: ReadingView[];
  alerts: AlertView[];
}

/** The most readings one batch request carries; also what one group transaction takes (one full batch, or many single readings). */
export const MAX_READINGS_PER_BATCH = 500;
const NO_CONTEXT: RequestContext = { requestId: 'vitals-ingest' };

/**
 * Stores readings (one, or a batch in measurement order) and, in the same transaction, the alerts
 * they raise. A device reading already stored (same device and measurement time) is not stored again
 * with the same values; with other values it is a correction that supersedes the stored one.
 *
 * Concurrent requests share a transaction (group commit, see GroupCommitter): under load the
 * readings of many bedside monitors are stored with a handful of statements instead of a dozen
 * per reading. Each request keeps its own answer, its own audit row and its own errors.
 */
@Injectable()
export class VitalsIngestService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
    private readonly protocols: ProtocolsService,
    private readonly alerts: AlertsService,
    private readonly pendingWork: PendingWorkService,
    private readonly events: ClinicEventBus,
    private readonly config: VigilConfig,
  ) {}

  async record(actor: Recorder, sessionId: string, input: NewReading[], batch: boolean): Promise<RecordResult> {
    const sub: Submission = { actor, sessionId, input, batch, now: this.clock.now(), context: requestContext.current() };
    // Inside a unit of work already (an idempotent request): the reading belongs to that one.
    const ambient = this.transactions.current();
    if (!ambient) return this.ingest.submit(sub);
    const [outcome] = await this.recordGroup(ambient, [sub]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** One group per two pooled connections: at most half the pool in ingest transactions, so reads and other writes keep flowing. */
  private readonly ingest = new GroupCommitter<Submission, RecordResult>(
    (subs) => this.transactions.run((tx) => this.recordGroup(tx, subs)),
    {
      slots: Math.max(1, Math.floor(this.config.DATABASE_POOL_SIZE / 2)),
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
    const outcomes: Array<Outcome<RecordResult>> = [];
    const { accepted, sessions } = await this.admit(tx.manager, subs, outcomes);
    if (accepted.length === 0) return outcomes;
    const { contexts, stored, unresolved } = await this.loadContext(tx.manager, subs, accepted, sessions);
    const judgement = judgeReadings(subs, accepted, contexts, stored, { newId: randomUUID, recordedAt: new Date() });
    const toRaise = alertsToRaise(judgement.judged, await earlierDeviceReadings(tx.manager, judgement.historyBefore), subs);
    await this.persist(tx, judgement, contexts);
    const raised = await this.raiseAlerts(tx, subs, accepted, toRaise);
    for (const { alert } of toRaise) unresolved.add(alertKey(alert.session.id, alert.measure));
    const answered = judgement.judged.flatMap(({ row, context }) =>
      alertsAnsweredBy(row, context.s.dosingStartedAt, context.protocol.vitals),
    );
    await this.alerts.clearAnswered(tx, alertsToClear(answered, unresolved));
    await this.scheduleOverdue(tx, contexts);
    await this.auditAndAnswer(tx, subs, accepted, judgement, raised, outcomes);
    return outcomes;
  }

  /** Locks the group's sessions (in id order) and refuses what cannot be stored: another clinic's session, a closed one, an implausible reading. */
  private async admit(
    m: EntityManager,
    subs: Submission[],
    outcomes: Array<Outcome<RecordResult>>,
  ): Promise<{ accepted: number[]; sessions: Map<string, Session> }> {
    const sessions = await this.sessions.lockMany(m, [...new Set(subs.map((sub) => sub.sessionId))]);
    const accepted: number[] = [];
    subs.forEach((sub, i) => {
      const s = sessions.get(sub.sessionId);
      const refusal = !s || s.clinicId !== sub.actor.clinicId ? DomainError.notFound('Session') : refusalOf(s, sub);
      if (refusal) outcomes[i] = { ok: false, error: refusal };
      else accepted.push(i);
    });
    return { accepted, sessions };
  }

  /** What judging needs: per session its protocol, effective thresholds and baseline; the device readings already stored (one statement). */
  private async loadContext(
    m: EntityManager,
    subs: Submission[],
    accepted: number[],
    locked: Map<string, Session>,
  ): Promise<{ contexts: Map<string, SessionContext>; stored: Map<string, VitalReading>; unresolved: Set<string> }> {
    const sessions = [...new Set(accepted.map((i) => subs[i].sessionId))].map((id) => locked.get(id)!);
    const withProtocols: Array<{ s: Session; protocol: SessionContext['protocol'] }> = [];
    for (const s of sessions) withProtocols.push({ s, protocol: await this.protocols.version(s.clinicId, s.protocolVersionId, m) });
    return judgingContexts(
      m,
      withProtocols,
      accepted.flatMap((i) => subs[i].input.map((r) => ({ sessionId: subs[i].sessionId, ...r }))),
    );
  }

  /** The new readings in one statement; the sessions they moved on follow (ReadingsRecorded: one statement too). */
  private async persist(tx: Tx, judgement: Judgement, contexts: Map<string, SessionContext>): Promise<void> {
    const rows = judgement.judged.map((j) => j.row);
    await markSuperseded(tx.manager, judgement.superseded);
    await insertReadings(tx.manager, rows);
    const changed = [...contexts.values()].filter((st) => st.changed).map((st) => st.s);
    if (changed.length === 0) return;
    await this.events.publish(tx, 'ReadingsRecorded', {
      at: this.clock.now(),
      sessions: changed.map((s) => ({
        sessionId: s.id,
        clinicId: s.clinicId,
        baselineReadingId: s.baselineReadingId,
        lastReadingAt: s.lastReadingAt,
      })),
      readings: rows.map((r) => ({ id: r.id, sessionId: r.sessionId, measuredAt: r.measuredAt })),
    });
  }

  /** One pass per alert: every reading of the group breaching that measure at that level; per submission, the alerts it raised or added to. */
  private async raiseAlerts(tx: Tx, subs: Submission[], accepted: number[], toRaise: AlertToRaise[]): Promise<Map<number, AlertView[]>> {
    const raised = new Map<number, Map<string, AlertView>>(accepted.map((i) => [i, new Map()]));
    const perAlert = new Map<string, { first: AlertToRaise; readings: Array<{ id: string; message: string }>; subs: Set<number> }>();
    for (const x of toRaise) {
      const key = `${x.alert.session.id} ${x.alert.measure} ${x.alert.level}`;
      const entry = perAlert.get(key) ?? { first: x, readings: [], subs: new Set<number>() };
      perAlert.set(key, entry);
      entry.readings.push({ id: x.alert.readingId, message: x.alert.message });
      entry.subs.add(x.sub);
    }
    for (const { first, readings, subs: by } of perAlert.values()) {
      const { alert } = await requestContext.run(subs[first.sub].context ?? NO_CONTEXT, () =>
        this.alerts.raiseOrAttachReadings(tx, { ...first.alert, at: subs[first.sub].now }, readings),
      );
      for (const i of by) raised.get(i)!.set(alert.id, alertView(alert));
    }
    return new Map([...raised].map(([i, alerts]) => [i, [...alerts.values()]]));
  }

  /** A dosed session with a reading: the next one is due from its latest (one statement for the group). */
  private async scheduleOverdue(tx: Tx, contexts: Map<string, SessionContext>): Promise<void> {
    const due = [...contexts.values()].filter(({ s }) => s.lastReadingAt && isDosed(s.status));
    await this.pendingWork.scheduleMany(
      tx,
      due.map(({ s, protocol, requestId }) => ({
        ...overdueWork(s, s.lastReadingAt!, readingEveryMin(protocol.vitals, s.status), protocol.vitals.overdueAfterMin),
        requestId: requestId ?? undefined,
      })),
    );
  }

  /** One audit row per submission that stored something (one statement), and each submission's answer. */
  private async auditAndAnswer(
    tx: Tx,
    subs: Submission[],
    accepted: number[],
    judgement: Judgement,
    raised: Map<number, AlertView[]>,
    outcomes: Array<Outcome<RecordResult>>,
  ): Promise<void> {
    const audits: Parameters<AuditService['recordMany']>[1] = [];
    for (const i of accepted) {
      const { views, created } = judgement.results.get(i)!;
      const alerts = raised.get(i)!;
      const by = subs[i].actor;
      if (created > 0)
        audits.push({
          action: 'session.vitals.record',
          resourceType: 'session',
          resourceId: subs[i].sessionId,
          // A monitor's feed has no user: the row names the feed (gateway, message) instead.
          actor: 'feed' in by ? null : by,
          clinicId: by.clinicId,
          context: subs[i].context,
          changes: {
            ...('feed' in by && { feed: by.feed }),
            count: created,
            duplicates: views.length - created,
            alerts: alerts.map((a) => a.id),
            first: views.find((v) => !v.duplicate)?.id,
            corrected: judgement.judged.flatMap((j) => (j.sub === i && j.supersedes ? [j.supersedes] : [])),
          },
        });
      outcomes[i] = { ok: true, value: { readings: views, alerts } };
    }
    await this.audit.recordMany(tx, audits);
  }
}

/** Why this submission is refused before anything is written, if it is. */
function refusalOf(s: Session, sub: Submission): DomainError | null {
  if (!VITALS_STATUSES.includes(s.status))
    return DomainError.conflict(
      ErrorCode.SessionNotActive,
      `Vitals are recorded from check-in until discharge; the session is ${s.status}`,
    );
  const problems = sub.input.flatMap((r, i) => readingProblems(r, sub.now, s.checkedInAt, sub.batch ? `readings[${i}].` : ''));
  return problems.length ? DomainError.validation(problems) : null;
}
