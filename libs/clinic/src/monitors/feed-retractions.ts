import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, Clock, requestContext } from '#platform';
import { DEVICE_FIELDS, type DeviceField, type Pcd01Message, type Retraction } from '../hl7/index.js';
import { VitalReading, VitalsIngestService, type MonitorFeed } from '../vitals/index.js';
import { placeReading, type BoundMonitor } from './binding.js';

type Values = Partial<Record<DeviceField, number | null>>;

/** Blood pressure is one measurement: withdrawing its systolic or its diastolic withdraws both. */
export function withdrawnFields(fields: DeviceField[]): DeviceField[] {
  const bp = fields.includes('systolic') || fields.includes('diastolic');
  return DEVICE_FIELDS.filter((f) => fields.includes(f) || (bp && (f === 'systolic' || f === 'diastolic')));
}

/** The values left once `fields` are withdrawn (those present only). */
export function remainingValues(values: Values, fields: DeviceField[]): Partial<Record<DeviceField, number>> {
  return Object.fromEntries(DEVICE_FIELDS.flatMap((f) => (values[f] != null && !fields.includes(f) ? [[f, values[f]]] : [])));
}

/** What one withdrawal did, for the message log. */
export interface RetractionOutcome {
  measuredAt: string;
  fields: DeviceField[];
  obx: number[];
  /**
   * superseded: the stored reading is out of every list (all its values withdrawn); corrected: a
   * reading without the withdrawn values supersedes it; unbound-updated / unbound-discarded: the
   * same for a reading kept unbound; not-found: nothing stored carries those values (nothing to do);
   * session-ended: the session has ended since, its record is left as it is.
   */
  outcome: 'superseded' | 'corrected' | 'unbound-updated' | 'unbound-discarded' | 'not-found' | 'session-ended';
  readingId?: string;
  correctedBy?: string;
  unboundId?: string;
}

export interface RetractionContext {
  msg: Pcd01Message;
  monitor: BoundMonitor | null;
  deviceId: string;
  clinicId: string | null;
  /** The gateway and message, as the feed's audit rows name them. */
  feed: Record<string, unknown>;
}

/**
 * Values a device withdrew (OBX-11 D: deleted, W: sent wrong) from a reading it sent before (same
 * device and measurement time). A session's reading is corrected the way a device's correction is:
 * a reading of the values left supersedes it, through the vitals ingest, raising no alert; with
 * nothing left it is superseded by nothing. A reading kept unbound loses the values, or is discarded.
 * Each change is audited (`monitor.feed.retract`); a withdrawal of nothing stored is not an error.
 */
@Injectable()
export class FeedRetractions {
  constructor(
    private readonly ingest: VitalsIngestService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async apply(m: EntityManager, ctx: RetractionContext): Promise<RetractionOutcome[]> {
    const out: RetractionOutcome[] = [];
    for (const r of ctx.msg.retractions) {
      const fields = withdrawnFields(r.fields);
      const base = { measuredAt: r.measuredAt.toISOString(), fields, obx: r.obx };
      const place = await placeReading(m, ctx.monitor, r, ctx.msg.patientMrn);
      if ('sessionId' in place) out.push({ ...base, ...(await this.fromSession(m, place.sessionId, r, fields, ctx)) });
      else if (place.unbound === 'session-ended') out.push({ ...base, outcome: 'session-ended' });
      else out.push({ ...base, ...(await this.fromUnbound(m, r, fields, ctx)) });
    }
    const changed = out.filter((o) => o.outcome !== 'not-found' && o.outcome !== 'session-ended');
    if (changed.length && ctx.clinicId)
      await this.audit.recordMany(
        m,
        changed.map((o) => ({
          action: 'monitor.feed.retract',
          resourceType: o.unboundId ? 'unbound-reading' : 'vital-reading',
          resourceId: o.unboundId ?? o.readingId ?? null,
          actor: null,
          clinicId: ctx.clinicId,
          context: requestContext.current(),
          changes: { ...o, feed: ctx.feed },
        })),
      );
    return out;
  }

  private async fromSession(
    m: EntityManager,
    sessionId: string,
    r: Retraction,
    fields: DeviceField[],
    ctx: RetractionContext,
  ): Promise<Pick<RetractionOutcome, 'outcome' | 'readingId' | 'correctedBy'>> {
    await m.query(`SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE`, [sessionId]);
    const stored = await m.findOneBy(VitalReading, { sessionId, deviceId: ctx.deviceId, measuredAt: r.measuredAt });
    if (!stored || fields.every((f) => stored[f] == null)) return { outcome: 'not-found' };
    const left = remainingValues(stored, fields);
    if (Object.keys(left).length === 0) {
      await m.query(`UPDATE vital_readings SET superseded_at = $2 WHERE id = $1 AND superseded_at IS NULL`, [stored.id, this.clock.now()]);
      return { outcome: 'superseded', readingId: stored.id };
    }
    const recorder: MonitorFeed = {
      clinicId: stored.clinicId,
      userId: null,
      feed: { ...ctx.feed, monitorId: ctx.monitor?.id, retracts: fields },
    };
    const { readings } = await this.ingest.record(
      recorder,
      sessionId,
      [
        {
          measuredAt: r.measuredAt,
          source: 'device',
          deviceId: ctx.deviceId,
          ...left,
          late: stored.late,
          timeOffsetAssumed: stored.timeOffsetAssumed,
          raisesAlerts: false,
        },
      ],
      true,
    );
    return { outcome: 'corrected', readingId: stored.id, correctedBy: readings[0].id };
  }

  private async fromUnbound(
    m: EntityManager,
    r: Retraction,
    fields: DeviceField[],
    ctx: RetractionContext,
  ): Promise<Pick<RetractionOutcome, 'outcome' | 'unboundId'>> {
    const [u] = await m.query<Array<{ id: string; values: Values }>>(
      `SELECT id, "values" FROM unbound_readings WHERE device_id = $1 AND measured_at = $2 AND status = 'open' FOR UPDATE`,
      [ctx.deviceId, r.measuredAt],
    );
    if (!u || fields.every((f) => u.values[f] == null)) return { outcome: 'not-found' };
    const left = remainingValues(u.values, fields);
    if (Object.keys(left).length > 0) {
      await m.query(`UPDATE unbound_readings SET "values" = $2 WHERE id = $1`, [u.id, JSON.stringify(left)]);
      return { outcome: 'unbound-updated', unboundId: u.id };
    }
    await m.query(
      `UPDATE unbound_readings SET status = 'discarded', resolved_at = $2, resolve_reason = 'every value withdrawn by the device (OBX-11 D or W)' WHERE id = $1`,
      [u.id, this.clock.now()],
    );
    return { outcome: 'unbound-discarded', unboundId: u.id };
  }
}
