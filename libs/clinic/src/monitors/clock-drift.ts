import { Injectable, Logger } from '@nestjs/common';
import { AuditService, NotificationOutbox, requestContext, TransactionRunner, User, type Tx } from '#platform';

/** A gateway's clock this far from Vigil's on arrival (MSH-7 against the time received) has drifted … */
export const CLOCK_DRIFT_LIMIT_MIN = 5;
/** … and this many such messages in a row from one gateway make an episode its administrators are warned of. */
export const CLOCK_DRIFT_MESSAGES = 3;

/** Seconds the sender's clock is ahead of the arrival time (behind: negative). */
export const driftSeconds = (messageTime: Date, receivedAt: Date): number =>
  Math.round((messageTime.getTime() - receivedAt.getTime()) / 1000);

export const drifted = (seconds: number): boolean => Math.abs(seconds) > CLOCK_DRIFT_LIMIT_MIN * 60;

/** What the feed knows of a gateway's clock when a message arrives (from its row). */
export interface ClockState {
  id: string;
  clockDriftCount: number;
  clockDriftWarned: boolean;
}

interface Episode {
  wasWarned: boolean;
  warnedAt: Date | null;
  since: Date | null;
  count: number;
  sec: number;
  clinicId: string | null;
  sender: string;
}

/**
 * Watches each gateway's clock (IHE PCD requires its devices to keep time; a gateway whose clock is
 * off stamps readings at the wrong time, and readings more than 2 minutes ahead are refused). A
 * message whose MSH-7 is more than 5 minutes from its arrival counts; three in a row from one
 * gateway open an episode: its clinic's administrators are told once, by a message in the outbox
 * (audited `monitor.gateway.clock-drift`). The first message back in step closes the episode and
 * tells them so (`monitor.gateway.clock-in-step`); a later drift is a new episode. A gateway in step
 * costs nothing: its row is written only while it drifts or after.
 */
@Injectable()
export class ClockWatch {
  private readonly logger = new Logger('Hl7Clock');

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: NotificationOutbox,
    private readonly audit: AuditService,
  ) {}

  async observe(gateway: ClockState, messageTime: Date | null, receivedAt: Date, clinicOf: () => Promise<string | null>): Promise<void> {
    if (!messageTime) return;
    const sec = driftSeconds(messageTime, receivedAt);
    if (!drifted(sec) && gateway.clockDriftCount === 0 && !gateway.clockDriftWarned) return;
    await this.transactions.run(async (tx) => {
      const e = await this.record(tx, gateway.id, sec, receivedAt);
      const opened = !e.wasWarned && e.warnedAt !== null;
      const closed = e.wasWarned && e.warnedAt === null;
      if (!opened && !closed) return;
      const clinicId = e.clinicId ?? (await clinicOf());
      if (!clinicId) {
        this.logger.warn(`HL7 gateway ${e.sender}: clock ${opened ? `${e.sec} s off` : 'back in step'}; no clinic to tell`);
        return;
      }
      await this.tell(tx, clinicId, gateway.id, e, opened);
    });
  }

  /** The episode's count, start and warning moved on by one message (locked row; the previous warning returned beside the new). */
  private async record(tx: Tx, gatewayId: string, sec: number, at: Date): Promise<Episode> {
    // An UPDATE answers [rows, count].
    const [[row]] = await tx.manager.query<[Episode[], number]>(
      `WITH old AS (SELECT id, clock_drift_warned_at AS warned FROM hl7_gateways WHERE id = $1 FOR UPDATE)
       UPDATE hl7_gateways g SET
              clock_drift_count = CASE WHEN $2 THEN g.clock_drift_count + 1 ELSE 0 END,
              clock_drift_since = CASE WHEN $2 THEN COALESCE(g.clock_drift_since, $3) END,
              clock_drift_sec = $4,
              clock_drift_warned_at = CASE WHEN NOT $2 THEN NULL
                                           WHEN g.clock_drift_count + 1 >= $5 THEN COALESCE(g.clock_drift_warned_at, $3)
                                           ELSE g.clock_drift_warned_at END
         FROM old WHERE g.id = old.id
       RETURNING old.warned IS NOT NULL AS "wasWarned", g.clock_drift_warned_at AS "warnedAt", g.clock_drift_since AS since,
                 g.clock_drift_count AS count, g.clock_drift_sec AS sec, g.clinic_id AS "clinicId",
                 g.sending_application || ' / ' || g.sending_facility AS sender`,
      [gatewayId, drifted(sec), at, sec, CLOCK_DRIFT_MESSAGES],
    );
    return row;
  }

  private async tell(tx: Tx, clinicId: string, gatewayId: string, e: Episode, opened: boolean): Promise<void> {
    const minutes = Math.round(Math.abs(e.sec) / 6) / 10;
    const subject = opened
      ? `Vigil: the clock of monitor gateway ${e.sender} is off by ${minutes} min`
      : `Vigil: the clock of monitor gateway ${e.sender} is back in step`;
    const body = opened
      ? `${e.count} messages in a row from ${e.sender} were stamped (MSH-7) ${minutes} minutes ${e.sec > 0 ? 'ahead of' : 'behind'} ` +
        `the time Vigil received them (more than ${CLOCK_DRIFT_LIMIT_MIN} minutes; since ${e.since?.toISOString()}). Readings are charted at ` +
        `the time the device gives them: set the gateway's clock (or, if it sends times without an offset, its time zone in Vigil). Gateway ${gatewayId}.`
      : `Messages from ${e.sender} are stamped within ${CLOCK_DRIFT_LIMIT_MIN} minutes of their arrival again. Gateway ${gatewayId}.`;
    const admins = await tx.manager.findBy(User, { clinicId, role: 'admin', active: true });
    for (const u of admins) await this.outbox.add(tx, { clinicId, recipientUserId: u.id, recipientAddress: u.email, subject, body });
    await this.audit.recordMany(tx, [
      {
        action: opened ? 'monitor.gateway.clock-drift' : 'monitor.gateway.clock-in-step',
        resourceType: 'hl7-gateway',
        resourceId: gatewayId,
        actor: null,
        clinicId,
        context: requestContext.current(),
        changes: { driftSec: e.sec, since: e.since?.toISOString() ?? null, messages: e.count, told: admins.length },
      },
    ]);
  }
}
