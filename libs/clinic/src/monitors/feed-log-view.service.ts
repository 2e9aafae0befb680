import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { keysetPage, type Actor, type Page } from '#platform';
import { FeedMessage, type MessageOutcome } from './feed.entity.js';

export interface FeedMessageView {
  id: string;
  receivedAt: string;
  gatewayId: string | null;
  peer: string;
  controlId: string | null;
  messageTime: string | null;
  /** The frame as received (UTF-8; segments end with CR). */
  raw: string;
  ackCode: 'AA' | 'AE' | 'AR' | null;
  ack: string | null;
  outcome: MessageOutcome;
  duplicateOf: string | null;
  detail: Record<string, unknown>;
}

const view = (m: FeedMessage): FeedMessageView => ({
  id: m.id,
  receivedAt: m.receivedAt.toISOString(),
  gatewayId: m.gatewayId,
  peer: m.peer,
  controlId: m.controlId,
  messageTime: m.messageTime?.toISOString() ?? null,
  raw: m.raw.toString('utf8'),
  ackCode: m.ackCode,
  ack: m.ack,
  outcome: m.outcome,
  duplicateOf: m.duplicateOf,
  detail: m.detail,
});

/** The raw message log of the monitor feed as administrators read it: their clinic's messages, newest first. */
@Injectable()
export class FeedLogService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    actor: Actor,
    f: { outcome?: MessageOutcome; controlId?: string; limit: number; cursor?: string },
  ): Promise<Page<FeedMessageView>> {
    const q = this.dataSource.createQueryBuilder(FeedMessage, 'm').where('m.clinic_id = :clinicId', { clinicId: actor.clinicId });
    if (f.outcome) q.andWhere('m.outcome = :outcome', { outcome: f.outcome });
    if (f.controlId) q.andWhere('m.control_id = :controlId', { controlId: f.controlId });
    return keysetPage(q, {
      sortColumn: 'm.received_at',
      idColumn: 'm.id',
      order: 'DESC',
      cursor: f.cursor,
      limit: f.limit,
      key: (m) => ({ at: m.receivedAt, id: m.id }),
      view,
    });
  }
}
