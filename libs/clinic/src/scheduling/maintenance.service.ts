import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, Clinic, Clock, DomainError, localParts, zonedTimeToUtc, type Actor, type Tx } from '#platform';
import { FollowUpsService } from '../follow-ups/index.js';
import { ProtocolsService } from '../protocols/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { AppointmentsService } from './appointments.service.js';
import { ChairsService } from '../chairs/index.js';
import { ClosuresService } from './closures.service.js';
import { DAY_MS, firstOpenDate } from './opening-hours.js';
import { Appointment, TreatmentSeries } from './scheduling.entity.js';

/**
 * Maintenance after an induction series (clinical-rules.md section 7): Vigil proposes each next
 * session as a tentative appointment with a task for an administrator, brings it forward on a
 * relapse signal, and stops proposing when consent is withdrawn or care ends.
 */
@Injectable()
export class MaintenanceService {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
    private readonly followUps: FollowUpsService,
    private readonly appointments: AppointmentsService,
    private readonly chairs: ChairsService,
    private readonly closures: ClosuresService,
  ) {}

  /**
   * After a discharge (clinical-rules.md section 7). When it completes the last induction session of
   * a series: PHQ-9 follow-ups at 24 h, 7 and 28 days, and the first maintenance session proposed at
   * the protocol's interval. When it was a maintenance session: the next one proposed the same way.
   */
  async afterDischarge(tx: Tx, actor: Actor, session: { id: string; clinicId: string; patientId: string }, at: Date): Promise<void> {
    const m = tx.manager;
    const [link] = await m.query<{ series_id: string | null }[]>(`SELECT series_id FROM appointments WHERE session_id = $1`, [session.id]);
    if (!link?.series_id) return;
    const series = await m
      .createQueryBuilder(TreatmentSeries, 's')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id: link.series_id })
      .getOne();
    if (!series) return;
    const protocol = await this.protocols.effective(session.clinicId, series.protocolKey, m);
    const next = new Date(at.getTime() + protocol.maintenance.intervalDays * DAY_MS);
    if (series.status === 'completed') {
      // A maintenance session: re-proposed after each one, unless one is already ahead.
      if (!(await this.ahead(m, series.id, at))) await this.propose(tx, actor, series, next, 'Next maintenance session');
      return;
    }
    if (series.status !== 'active') return;
    const [done] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM appointments WHERE series_id = $1 AND status = 'completed'`,
      [series.id],
    );
    if ((done?.n ?? 0) < series.sessionsPlanned) return;
    await m.update(TreatmentSeries, { id: series.id }, { status: 'completed' });
    await this.phq9AfterInduction(tx, series, at);
    await this.propose(tx, actor, series, next, 'First maintenance session');
  }

  /** The PHQ-9 follow-ups after the last induction session, at the clinic's hours (24 h, 7 and 28 days by default). */
  private async phq9AfterInduction(tx: Tx, series: TreatmentSeries, at: Date): Promise<void> {
    const settings = await this.settings.forClinic(series.clinicId, tx.manager);
    for (const hours of settings.phq9AfterInductionHours) {
      await this.followUps.create(tx, {
        clinicId: series.clinicId,
        patientId: series.patientId,
        kind: 'phq9-after-induction',
        subjectType: 'series',
        subjectId: series.id,
        title: `PHQ-9 ${hours % 24 === 0 ? `${hours / 24} day(s)` : `${hours} hours`} after the last induction session`,
        dueAt: new Date(at.getTime() + hours * 60 * 60_000),
        assigneeRole: 'nurse',
      });
    }
  }

  /** Whether the series already has a maintenance appointment (booked or proposed) after `after`. */
  private async ahead(m: EntityManager, seriesId: string, after: Date): Promise<Appointment | null> {
    return m
      .createQueryBuilder(Appointment, 'a')
      .where(`a.series_id = :s AND a.starts_at > :after AND a.status IN ('booked', 'tentative')`, { s: seriesId, after })
      .orderBy('a.starts_at')
      .getOne();
  }

  /**
   * Books a tentative maintenance appointment on the first open day from `earliest`, at the series'
   * local time, in the first free chair, with a task for an administrator to confirm or move it (or,
   * when no chair is free, to book one).
   */
  private async propose(tx: Tx, actor: Actor, series: TreatmentSeries, earliest: Date, why: string): Promise<Appointment | null> {
    const m = tx.manager;
    const settings = await this.settings.forClinic(series.clinicId, m);
    const clinic = await m.findOneByOrFail(Clinic, { id: series.clinicId });
    const until = localParts(new Date(earliest.getTime() + 40 * DAY_MS), clinic.timeZone).date;
    const closed = await this.closures.closedDays(m, series.clinicId, localParts(earliest, clinic.timeZone).date, until);
    const date = firstOpenDate(earliest, settings.openingHours, clinic.timeZone, closed);
    const startsAt = zonedTimeToUtc(date, series.preferredTime, clinic.timeZone);
    let proposed: Appointment | null = null;
    for (const chair of await this.chairs.active(m, series.clinicId)) {
      try {
        proposed = await this.appointments.book(
          actor,
          {
            patientId: series.patientId,
            chairId: chair.id,
            protocol: series.protocolKey,
            startsAt,
            status: 'tentative',
            seriesId: series.id,
          },
          tx,
        );
        break;
      } catch (err) {
        if (!(err instanceof DomainError) || (err.status !== 409 && err.status !== 422)) throw err;
      }
    }
    await this.followUps.create(tx, {
      clinicId: series.clinicId,
      patientId: series.patientId,
      kind: 'maintenance-proposal',
      subjectType: proposed ? 'appointment' : 'series',
      subjectId: proposed?.id ?? series.id,
      title: proposed
        ? `${why}: confirm or move the proposed session on ${date} at ${series.preferredTime}`
        : `${why}: no chair free on ${date} at ${series.preferredTime}; book one`,
      dueAt: this.clock.now(),
      assigneeRole: 'admin',
    });
    return proposed;
  }

  /**
   * A relapse signal in the outcomes (clinical-rules.md section 5) after induction: the next
   * maintenance session is proposed for the next open day. Vigil's own later proposals are
   * withdrawn; a session an administrator confirmed stays until they move it. Nothing happens when
   * one is already that soon, so a repeated signal proposes nothing twice.
   */
  async bringForward(tx: Tx, actor: Actor, patientId: string, signal: string): Promise<Appointment | null> {
    const m = tx.manager;
    const series = await m
      .createQueryBuilder(TreatmentSeries, 's')
      .setLock('pessimistic_write')
      .where(`s.patient_id = :p AND s.clinic_id = :c AND s.status = 'completed'`, { p: patientId, c: actor.clinicId })
      .orderBy('s.created_at', 'DESC')
      .getOne();
    if (!series) return null;
    const clinic = await m.findOneByOrFail(Clinic, { id: series.clinicId });
    const now = this.clock.now();
    const tomorrow = localParts(new Date(now.getTime() + DAY_MS), clinic.timeZone).date;
    const ahead = await this.ahead(m, series.id, now);
    if (ahead && localParts(ahead.startsAt, clinic.timeZone).date <= tomorrow) return null;
    const withdrawn = await this.withdrawLaterProposals(tx, actor, series, signal, now);
    const proposed = await this.propose(tx, actor, series, new Date(now.getTime() + DAY_MS), `Relapse signal (${signal})`);
    await this.audit.record(tx, {
      action: 'maintenance.bring-forward',
      resourceType: 'patient',
      resourceId: patientId,
      changes: {
        seriesId: series.id,
        signal,
        withdrawn,
        proposed: proposed?.id ?? null,
        confirmedKept: ahead?.status === 'booked' ? ahead.id : null,
      },
    });
    return proposed;
  }

  /** Vigil's tentative proposals of the series still ahead are cancelled with their tasks; returns every tentative one's id. */
  private async withdrawLaterProposals(tx: Tx, actor: Actor, series: TreatmentSeries, signal: string, now: Date): Promise<string[]> {
    const m = tx.manager;
    const later = await m.find(Appointment, { where: { seriesId: series.id, status: 'tentative' } });
    for (const a of later.filter((x) => x.startsAt > now)) {
      Object.assign(a, { status: 'cancelled', cancelledAt: now, cancelledBy: actor.userId, cancelReason: `brought forward: ${signal}` });
      await m.save(a);
      await this.followUps.closeOpen(
        tx,
        { patientId: series.patientId, kind: 'maintenance-proposal', subjectId: a.id },
        { status: 'cancelled', note: `replaced by an earlier proposal: ${signal}` },
      );
    }
    return later.map((a) => a.id);
  }

  /**
   * Maintenance stops (consent withdrawn, discharged from care): the series stop proposing, Vigil's
   * tentative proposals are cancelled with their tasks; confirmed appointments are flagged for the
   * administrators by the caller. Returns the series stopped.
   */
  async stop(
    tx: Tx,
    actor: Actor,
    patientId: string,
    reason: string,
    opts: { statuses?: TreatmentSeries['status'][]; protocols?: string[] } = {},
  ): Promise<string[]> {
    const m = tx.manager;
    const [rows] = await m.query<[{ id: string }[], number]>(
      `UPDATE treatment_series SET status = 'stopped', stopped_reason = $3
        WHERE patient_id = $1 AND clinic_id = $2 AND status = ANY($4) AND ($5::text[] IS NULL OR protocol_key = ANY($5)) RETURNING id`,
      [patientId, actor.clinicId, reason, opts.statuses ?? ['completed'], opts.protocols ?? null],
    );
    if (!rows.length) return [];
    const now = this.clock.now();
    const tentative = await m.query<[{ id: string }[], number]>(
      `UPDATE appointments SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4
        WHERE series_id = ANY($1) AND status = 'tentative' AND starts_at > $2 RETURNING id`,
      [rows.map((r) => r.id), now, actor.userId, `maintenance stopped: ${reason}`],
    );
    await this.followUps.closeOpen(
      tx,
      { patientId, kind: 'maintenance-proposal' },
      { status: 'cancelled', note: `maintenance stopped: ${reason}` },
    );
    await this.audit.record(tx, {
      action: 'maintenance.stop',
      resourceType: 'patient',
      resourceId: patientId,
      changes: { reason, series: rows.map((r) => r.id), cancelledProposals: tentative[0].map((r) => r.id) },
    });
    return rows.map((r) => r.id);
  }
}
