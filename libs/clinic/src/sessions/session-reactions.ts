import { Injectable } from '@nestjs/common';
import { DomainError, type Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { Session } from './session.entity.js';

/** How a session's own row and records follow what other domains record about it. */
@Injectable()
export class SessionReactions {
  /**
   * Readings moved sessions on: their baseline and latest reading time, in one statement for the
   * whole group (the ingest's hot path: no query per reading).
   */
  @OnClinicEvent('ReadingsRecorded')
  async followReadings(e: ClinicEventPayload<'ReadingsRecorded'>, tx: Tx): Promise<void> {
    if (e.sessions.length === 0) return;
    await tx.manager.query(
      `UPDATE sessions s SET baseline_reading_id = v.baseline, last_reading_at = v.last, version = s.version + 1, updated_at = CURRENT_TIMESTAMP
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS v(id, baseline, last) WHERE s.id = v.id`,
      [e.sessions.map((s) => s.sessionId), e.sessions.map((s) => s.baselineReadingId), e.sessions.map((s) => s.lastReadingAt)],
    );
  }

  /** An assessment names the session it was given in: it must be one of this patient's, in this clinic (400 naming `sessionId`). */
  @OnClinicEvent('AssessmentRecorded')
  async checkAssessmentSession(e: ClinicEventPayload<'AssessmentRecorded'>, tx: Tx): Promise<boolean> {
    if (e.sessionId && !(await tx.manager.existsBy(Session, { id: e.sessionId, clinicId: e.clinicId, patientId: e.patientId })))
      throw DomainError.validation([{ field: 'sessionId', message: 'no session of this patient has this id' }]);
    return false;
  }
}
