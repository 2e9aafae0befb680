import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, Clock, DomainError, requestContext, TransactionRunner } from '#platform';
import {
  buildAck,
  parseMessage,
  parsePcd01,
  readHeader,
  where,
  type AckCode,
  type DeviceReading,
  type Hl7Problem,
  type Mappings,
  type Pcd01Message,
} from '../hl7/index.js';
import { floorChanged } from '../session-views/index.js';
import { VitalsIngestService, type MonitorFeed } from '../vitals/index.js';
import { bindReadings, monitorOf, type BoundMonitor } from './binding.js';
import { ClockWatch } from './clock-drift.js';
import {
  clinicTimeZone,
  completeLog,
  fallbackClinic,
  keepUnbound,
  learnClinic,
  logMessage,
  touchGateway,
  type GatewayRow,
  type OriginalMessage,
  type Unbound,
} from './feed-log.js';
import { claimClash, decode, entryOf, rawObservations, zoneNote, type LoggedFrame, type Received } from './feed-message.js';
import { ReadingsRefused, refusalProblems, storeFailure } from './feed-problems.js';
import { FeedRetractions } from './feed-retractions.js';

/** What the listener writes back: the ACK (null when the frame had no readable MSH: nothing to answer). */
export interface FeedAnswer {
  ack: string | null;
  code: AckCode | null;
  outcome: 'accepted' | 'duplicate' | 'refused' | 'rejected' | 'unreadable';
}

/**
 * The monitor feed: one HL7 v2 message (IHE PCD-01 ORU^R01) in, one ACK out, after the commit. Its
 * readings go through the same ingest as `POST /sessions/:id/vitals` device readings (judged,
 * stored, alarmed, audited, streamed), each into the session in progress in its monitor's chair at
 * its measurement time; the others are kept unbound. AA once all is committed; AE with an ERR per
 * problem and nothing stored; AR for what Vigil does not take, or cannot store now. A resend (same
 * gateway and control id) gets the same answer and stores nothing.
 */
@Injectable()
export class Hl7FeedService {
  private readonly logger = new Logger('Hl7Feed');

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ingest: VitalsIngestService,
    private readonly retractions: FeedRetractions,
    private readonly clockWatch: ClockWatch,
  ) {}

  /**
   * One frame's bytes, from `peer` (address:port). Runs as a request someone waits on (the sender):
   * a database that does not answer is given up within seconds and answered AR, as HTTP answers 503.
   */
  receive(raw: Buffer, peer: string): Promise<FeedAnswer> {
    const ip = peer.slice(0, peer.lastIndexOf(':'));
    return requestContext.run({ requestId: randomUUID(), interactive: true, ip }, () => this.receiveFrame(raw, peer));
  }

  private async receiveFrame(raw: Buffer, peer: string): Promise<FeedAnswer> {
    const at = this.clock.now();
    const text = decode(raw);
    const parsed = parseMessage(text);
    if (!parsed) {
      await this.logQuietly({ raw, peer, at, header: null }, null, null, 'unreadable', {});
      return { ack: null, code: null, outcome: 'unreadable' };
    }
    const { header } = readHeader(parsed, { timeZone: 'UTC' });
    const rx: Received = { raw, text, peer, at, header };
    try {
      return await this.handle(rx);
    } catch (err) {
      // Two copies of one message at once: the second finds the first's answer.
      if (claimClash(err)) return this.handle(rx).catch((e: unknown) => this.reject(rx, e));
      return this.reject(rx, err);
    }
  }

  private async handle(rx: Received): Promise<FeedAnswer> {
    const { gateway, original, maps } = await touchGateway(this.dataSource.manager, rx.header, rx.peer, rx.at);
    if (original) return this.repeat(rx, gateway, original);
    const msg = await this.parse(rx, gateway, maps);
    await this.clockWatch.observe(gateway, msg.header.messageTime?.at ?? null, rx.at, () => this.clinicOf(msg, gateway));
    const rejected = msg.problems.filter((p) => p.ack === 'AR');
    if (rejected.length) return this.answerWithoutStoring(rx, gateway, 'AR', rejected, msg);
    if (msg.problems.length) return this.answerWithoutStoring(rx, gateway, 'AE', msg.problems, msg);
    try {
      return await this.transactions.run((tx) => this.store(tx.manager, rx, gateway, msg));
    } catch (err) {
      if (err instanceof ReadingsRefused) return this.answerWithoutStoring(rx, gateway, 'AE', err.problems, msg);
      throw err;
    }
  }

  /**
   * The message read with the gateway's zone for times without an offset; a gateway whose clinic is
   * not known yet reads them in the zone of the clinic of the monitor the message names.
   */
  private async parse(rx: Received, gateway: GatewayRow, maps: Mappings): Promise<Pcd01Message> {
    const opts = { timeZone: gateway.timeZone, processingIds: gateway.processingIds };
    const msg = parsePcd01(rx.text, maps, opts)!;
    if (gateway.clinicId || gateway.ownTimeZone || !msg.readings.some((r) => r.assumedZone)) return msg;
    const monitor = await monitorOf(this.dataSource.manager, msg, null);
    const zone = monitor ? await clinicTimeZone(this.dataSource.manager, monitor.clinicId) : null;
    return zone && zone !== opts.timeZone ? parsePcd01(rx.text, maps, { ...opts, timeZone: zone })! : msg;
  }

  /** The clinic a message is about: its monitor's, else its gateway's (or Vigil's only one). */
  private async clinicOf(msg: Pcd01Message, gateway: GatewayRow): Promise<string | null> {
    const monitor = await monitorOf(this.dataSource.manager, msg, gateway.clinicId);
    return monitor?.clinicId ?? (await fallbackClinic(this.dataSource.manager, gateway));
  }

  /** One transaction: the log row (claiming the control id), the readings per session, the unbound ones, withdrawals, the ACK. */
  private async store(m: EntityManager, rx: Received, gateway: GatewayRow, msg: Pcd01Message): Promise<FeedAnswer> {
    const messageId = await logMessage(m, {
      ...entryOf(rx, gateway, null),
      ackCode: 'AA',
      ack: null,
      outcome: 'accepted',
      detail: {},
    });
    const { monitor, places, lateAfterMin } = await bindReadings(m, msg, gateway.clinicId);
    await learnClinic(m, gateway, monitor);
    const clinicId = monitor?.clinicId ?? (await fallbackClinic(m, gateway));
    const deviceId = msg.eui64 ?? msg.location ?? rx.header.sendingApplication;
    const bySession = new Map<string, DeviceReading[]>();
    const unbound: Unbound[] = [];
    msg.readings.forEach((reading, i) => {
      const place = places[i];
      if ('unbound' in place) unbound.push({ reading, reason: place.unbound });
      else bySession.set(place.sessionId, [...(bySession.get(place.sessionId) ?? []), reading]);
    });
    const feed = { gatewayId: gateway.id, controlId: rx.header.controlId, messageId };
    if (bySession.size && lateAfterMin === null) throw DomainError.notFound('Clinic settings');
    const sessions = await this.chart(monitor, bySession, deviceId, feed, { receivedAt: rx.at, lateAfterMin: lateAfterMin ?? 0 });
    const kept = await keepUnbound(m, unbound, {
      clinicId,
      messageId,
      monitor,
      deviceId,
      location: msg.location,
      patientMrn: msg.patientMrn,
      at: rx.at,
    });
    // The wall boards list unbound readings for a nurse to attach: they hear of new ones at the commit.
    if (kept > 0 && clinicId) await floorChanged(m, clinicId);
    if (kept > 0 && clinicId)
      await this.audit.recordMany(m, [
        {
          action: 'monitor.feed.unbound',
          resourceType: 'monitor',
          resourceId: monitor?.id ?? null,
          actor: null,
          clinicId,
          context: requestContext.current(),
          changes: { messageId, deviceId, kept, reasons: [...new Set(unbound.map((u) => u.reason))] },
        },
      ]);
    const retracted = await this.retractions.apply(m, { msg, monitor, deviceId, clinicId, feed });
    const detail = {
      monitorId: monitor?.id ?? null,
      deviceId,
      sessions,
      unbound: kept,
      raw: rawObservations(msg),
      ...(retracted.length && { retracted }),
      ...zoneNote(msg),
    };
    const ack = this.ack(rx, 'AA', []);
    await completeLog(m, messageId, ack, clinicId, detail);
    return { ack, code: 'AA', outcome: 'accepted' };
  }

  /**
   * Each session's readings through the vitals ingest, in the message's transaction; what each stored.
   * A reading that arrives more than the clinic's lateReadingPageAfterMin after it was measured is
   * stored and judged as `late`: it raises no alert.
   */
  private async chart(
    monitor: BoundMonitor | null,
    bySession: Map<string, DeviceReading[]>,
    deviceId: string,
    feed: Record<string, unknown>,
    when: { receivedAt: Date; lateAfterMin: number },
  ): Promise<Array<{ sessionId: string; stored: number; duplicates: number; late: number; alerts: string[] }>> {
    const out = [];
    const late = (r: DeviceReading) => when.receivedAt.getTime() - r.measuredAt.getTime() > when.lateAfterMin * 60_000;
    for (const [sessionId, readings] of bySession) {
      const recorder: MonitorFeed = { clinicId: monitor!.clinicId, userId: null, feed: { ...feed, monitorId: monitor!.id } };
      const input = readings.map((r) => ({
        measuredAt: r.measuredAt,
        source: 'device' as const,
        deviceId,
        ...r.values,
        late: late(r),
        timeOffsetAssumed: r.assumedZone,
      }));
      try {
        const result = await this.ingest.record(recorder, sessionId, input, true);
        const duplicates = result.readings.filter((r) => r.duplicate).length;
        const lateOnes = result.readings.filter((r) => r.late && !r.duplicate).length;
        const alerts = result.alerts.map((a) => a.id);
        out.push({ sessionId, stored: result.readings.length - duplicates, duplicates, late: lateOnes, alerts });
      } catch (err) {
        if (err instanceof DomainError && err.status === 400) throw new ReadingsRefused(refusalProblems(err, readings));
        throw err;
      }
    }
    return out;
  }

  /** AE or AR: nothing stored, the log row (an AE claims its control id: its resends get it again) and the ACK. */
  private async answerWithoutStoring(
    rx: Received,
    gateway: GatewayRow,
    code: 'AE' | 'AR',
    problems: Hl7Problem[],
    msg: Pcd01Message,
  ): Promise<FeedAnswer> {
    const ack = this.ack(rx, code, problems);
    const outcome = code === 'AE' ? 'refused' : 'rejected';
    // The clinic whose administrators read it in the log: its monitor's, else the gateway's.
    const monitor = await monitorOf(this.dataSource.manager, msg, gateway.clinicId);
    await logMessage(this.dataSource.manager, {
      ...entryOf(rx, gateway, msg.header.messageTime?.at ?? null),
      clinicId: monitor?.clinicId ?? gateway.clinicId,
      ackCode: code,
      ack,
      outcome,
      detail: { problems: problems.map((p) => ({ ...p, where: where(p) })) },
    });
    return { ack, code, outcome };
  }

  /** A resend: the first answer again (with an ACK of its own), nothing stored; logged as a duplicate. */
  private async repeat(rx: Received, gateway: GatewayRow, original: OriginalMessage): Promise<FeedAnswer> {
    const code = original.ackCode === 'AE' ? 'AE' : 'AA';
    const problems = (original.detail['problems'] as Hl7Problem[] | undefined) ?? [];
    const ack = this.ack(rx, code, problems);
    await this.transactions.run(async (tx) => {
      await logMessage(tx.manager, {
        ...entryOf(rx, gateway, null),
        clinicId: original.clinicId,
        ackCode: code,
        ack,
        outcome: 'duplicate',
        duplicateOf: original.id,
        detail: {},
      });
      if (original.clinicId)
        await this.audit.recordMany(tx, [
          {
            action: 'monitor.feed.duplicate',
            resourceType: 'hl7-message',
            resourceId: original.id,
            actor: null,
            clinicId: original.clinicId,
            context: requestContext.current(),
            changes: { controlId: rx.header.controlId, peer: rx.peer },
          },
        ]);
    });
    return { ack, code, outcome: 'duplicate' };
  }

  /** AR: Vigil could not store the message now (the database away, a conflict); the sender resends it later. */
  private async reject(rx: Received, err: unknown): Promise<FeedAnswer> {
    this.logger.warn(`HL7 message ${rx.header.controlId || '(no control id)'} from ${rx.peer} not stored: ${(err as Error).message}`);
    const ack = this.ack(rx, 'AR', [storeFailure(err)]);
    await this.logQuietly(rx, 'AR', ack, 'rejected', { error: (err as Error).message });
    return { ack, code: 'AR', outcome: 'rejected' };
  }

  private ack(rx: Received, code: AckCode, problems: Hl7Problem[]): string {
    return buildAck({
      inbound: rx.header,
      code,
      problems,
      controlId: `VIGIL-${randomUUID()}`,
      at: this.clock.now(),
      application: rx.header.receivingApplication || 'VIGIL',
      facility: rx.header.receivingFacility || 'VIGIL',
    });
  }

  /** A log row written when the database may be away: a failure is logged, never thrown (the sender still gets its answer). */
  private async logQuietly(
    rx: LoggedFrame,
    code: AckCode | null,
    ack: string | null,
    outcome: FeedAnswer['outcome'],
    detail: Record<string, unknown>,
  ) {
    await logMessage(this.dataSource.manager, { ...entryOf(rx, null, null), ackCode: code, ack, outcome, detail }).catch((err: Error) =>
      this.logger.error(`HL7 message log row not written: ${err.message}`),
    );
  }
}
