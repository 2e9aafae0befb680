import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, Clock, JobHandler, JobName, PendingWorkService, requestContext, type PendingWork, type Tx } from '#platform';

/** The subject of the sweep's one pending-work row (seeded by migration Hl7FeedTimeAndRetention). */
export const HL7_LOG_SWEEP_SUBJECT = '00000000-0000-4000-8000-0000000000a7';
/** Rows one run deletes at most (one transaction); a full batch brings the next run forward. */
export const HL7_LOG_SWEEP_BATCH = 5000;
const EVERY_MS = 60 * 60_000;
const AGAIN_SOON_MS = 60_000;

/**
 * Deletes up to `limit` rows of the raw message log older than their clinic's hl7LogRetentionDays
 * (Vigil's default for a message no clinic could be told for): resends first, then messages no
 * resend and no unbound reading points at (those stay while the reading does). Per clinic, how many.
 */
export async function purgeFeedLog(m: EntityManager, now: Date, limit: number): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const resends of [true, false]) {
    const left = limit - [...counts.values()].reduce((a, b) => a + b, 0);
    if (left <= 0) break;
    // A DELETE answers [rows, count].
    const [rows] = await m.query<[Array<{ clinic_id: string | null }>, number]>(
      `WITH def AS (SELECT hl7_log_retention_days AS days FROM clinic_settings WHERE clinic_id IS NULL),
            doomed AS (
              SELECT m.id FROM hl7_messages m
                LEFT JOIN clinic_settings own ON own.clinic_id = m.clinic_id
                CROSS JOIN def
               WHERE m.received_at < $1::timestamptz - make_interval(days => (SELECT min(hl7_log_retention_days) FROM clinic_settings))
                 AND m.received_at < $1::timestamptz - make_interval(days => COALESCE(own.hl7_log_retention_days, def.days))
                 AND (m.duplicate_of IS NOT NULL) = $3
                 AND NOT EXISTS (SELECT 1 FROM hl7_messages d WHERE d.duplicate_of = m.id)
                 AND NOT EXISTS (SELECT 1 FROM unbound_readings u WHERE u.message_id = m.id)
               ORDER BY m.received_at
               LIMIT $2)
       DELETE FROM hl7_messages m USING doomed WHERE m.id = doomed.id RETURNING m.clinic_id`,
      [now, left, resends],
    );
    for (const r of rows) counts.set(r.clinic_id, (counts.get(r.clinic_id) ?? 0) + 1);
  }
  return counts;
}

/**
 * The monitor feed log's retention: a pending-work row (it survives a queue flush; the sweeper
 * re-enqueues it) whose run deletes what is past retention, records per clinic how many rows went
 * (audited, no user), and schedules the next run: in an hour, or in a minute when a batch was full.
 */
@Injectable()
export class FeedLogRetention {
  constructor(
    private readonly pendingWork: PendingWorkService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @JobHandler(JobName.SweepHl7Log)
  async sweep(work: PendingWork, tx: Tx): Promise<void> {
    const now = this.clock.now();
    const counts = await purgeFeedLog(tx.manager, now, HL7_LOG_SWEEP_BATCH);
    const deleted = [...counts.values()].reduce((a, b) => a + b, 0);
    await this.audit.recordMany(
      tx,
      [...counts].flatMap(([clinicId, count]) =>
        clinicId
          ? [
              {
                action: 'monitor.feed.log.purge',
                resourceType: 'hl7-message',
                actor: null,
                clinicId,
                context: requestContext.current(),
                changes: { deleted: count, at: now.toISOString() },
              },
            ]
          : [],
      ),
    );
    // One pending row per kind and subject: this one is done before the next is written.
    await tx.manager.query(`UPDATE pending_work SET status = 'done', completed_at = now() WHERE id = $1`, [work.id]);
    const next = new Date(now.getTime() + (deleted >= HL7_LOG_SWEEP_BATCH ? AGAIN_SOON_MS : EVERY_MS));
    await this.pendingWork.schedule(tx, { kind: JobName.SweepHl7Log, subjectId: HL7_LOG_SWEEP_SUBJECT, dueAt: next });
  }
}
