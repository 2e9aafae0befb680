import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';

/** The PostgreSQL channel on which a clinic's wall board hears that its floor changed (payload `{"clinicId"}`). */
export const WALL_BOARD_CHANNEL = 'vigil_wall_board';

/**
 * Tells every API process that a clinic's floor changed: readings stored, a session moved along
 * its lifecycle. A NOTIFY sent in the change's transaction is delivered at its commit and not at
 * all on rollback, so a board never hears of a change that did not happen; identical
 * notifications of one transaction are delivered once. It says only which clinic: the board reads
 * what changed from the database, whichever process wrote it.
 */
@Injectable()
export class WallBoardSignals {
  @OnClinicEvent('ReadingsRecorded')
  async readingsRecorded(e: ClinicEventPayload<'ReadingsRecorded'>, tx: Tx): Promise<void> {
    for (const clinicId of new Set(e.sessions.map((s) => s.clinicId))) await floorChanged(tx.manager, clinicId);
  }

  @OnClinicEvent('SessionStatusChanged')
  async sessionMoved(e: ClinicEventPayload<'SessionStatusChanged'>, tx: Tx): Promise<void> {
    await floorChanged(tx.manager, e.clinicId);
  }
}

/**
 * Tells the clinic's boards their floor changed, at the commit of `m`'s transaction: for changes
 * no clinical event carries (monitor readings kept unbound, or discarded).
 */
export const floorChanged = (m: EntityManager, clinicId: string): Promise<unknown> =>
  m.query('SELECT pg_notify($1, $2)', [WALL_BOARD_CHANNEL, JSON.stringify({ clinicId })]);
