import { Injectable } from '@nestjs/common';
import { Between, DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  JobHandler,
  JobName,
  localParts,
  NotificationOutbox,
  PendingWorkService,
  TransactionRunner,
  zonedTimeToUtc,
  type Actor,
  type PendingWork,
  type Tx,
} from '#platform';
import { FollowUpsService } from '../follow-ups/follow-ups.service.js';
import { Patient } from '../patients/patient.entity.js';
import { PatientsService } from '../patients/patients.service.js';
import type { ProtocolVersion } from '../protocols/protocol.entity.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import type { OpeningHours, Weekday } from '../settings/clinic-settings.entity.js';
import { ClinicSettingsService } from '../settings/clinic-settings.service.js';
import { Appointment, Chair, TreatmentSeries, type AppointmentStatus } from './scheduling.entity.js';
import { planSeriesDates, seriesSpanDays } from './series-plan.js';

export interface AppointmentView {
  id: string;
  patientId: string;
  chairId: string;
  protocol: string;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  sessionId: string | null;
  flags: string[];
  cancelReason: string | null;
}

export const appointmentView = (a: Appointment): AppointmentView => ({
  id: a.id,
  patientId: a.patientId,
  chairId: a.chairId,
  protocol: a.protocolKey,
  startsAt: a.startsAt.toISOString(),
  endsAt: a.endsAt.toISOString(),
  status: a.status,
  sessionId: a.sessionId,
  flags: a.flags,
  cancelReason: a.cancelReason,
});

/** Minutes a chair is held: dosing, then the minimum observation (esketamine: counted from the first device, label), then turnover. */
export function chairMinutes(
  protocol: Pick<ProtocolVersion, 'durationMin' | 'minObservationMin' | 'observationFrom' | 'doseRule'>,
  turnoverMin: number,
): number {
  const dosing =
    protocol.durationMin ??
    (protocol.doseRule.kind === 'fixed-devices'
      ? Math.max(...protocol.doseRule.allowedDosesMg.map((d) => d / (protocol.doseRule as { deviceMg: number }).deviceMg)) *
        protocol.doseRule.minutesBetweenDevices
      : 0);
  const occupied =
    protocol.observationFrom === 'first-dose' ? Math.max(dosing, protocol.minObservationMin) : dosing + protocol.minObservationMin;
  return occupied + turnoverMin;
}

/** Whether [start, end) in the clinic's zone falls inside one opening interval of its weekday. */
export function withinOpeningHours(start: Date, end: Date, hours: OpeningHours, timeZone: string): boolean {
  const s = localParts(start, timeZone);
  const e = localParts(new Date(end.getTime() - 1), timeZone);
  if (s.date !== e.date) return false;
  return (hours[s.weekday as Weekday] ?? []).some(
    ([open, close]) => s.time >= open && localParts(end, timeZone).time <= close && e.time < close,
  );
}

const DAY_MS = 24 * 60 * 60_000;

const CONSTRAINT_CODES: Record<string, [string, string]> = {
  ex_appointments_chair: ['CHAIR_DOUBLE_BOOKED', 'The chair is already booked for part of this time'],
  ex_appointments_patient: ['PATIENT_DOUBLE_BOOKED', 'The patient already has an appointment overlapping this time'],
};

@Injectable()
export class SchedulingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
    private readonly followUps: FollowUpsService,
    private readonly pendingWork: PendingWorkService,
    private readonly outbox: NotificationOutbox,
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
      if (!(await this.maintenanceAhead(m, series.id, at)))
        await this.proposeMaintenance(tx, actor, series, next, 'Next maintenance session');
      return;
    }
    if (series.status !== 'active') return;
    const [done] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM appointments WHERE series_id = $1 AND status = 'completed'`,
      [series.id],
    );
    if ((done?.n ?? 0) < series.sessionsPlanned) return;
    await m.update(TreatmentSeries, { id: series.id }, { status: 'completed' });
    const settings = await this.settings.forClinic(session.clinicId, m);
    for (const hours of settings.phq9AfterInductionHours) {
      await this.followUps.create(tx, {
        clinicId: session.clinicId,
        patientId: session.patientId,
        kind: 'phq9-after-induction',
        subjectType: 'series',
        subjectId: series.id,
        title: `PHQ-9 ${hours % 24 === 0 ? `${hours / 24} day(s)` : `${hours} hours`} after the last induction session`,
        dueAt: new Date(at.getTime() + hours * 60 * 60_000),
        assigneeRole: 'nurse',
      });
    }
    await this.proposeMaintenance(tx, actor, series, next, 'First maintenance session');
  }

  /** Whether the series already has a maintenance appointment (booked or proposed) after `after`. */
  private async maintenanceAhead(m: EntityManager, seriesId: string, after: Date): Promise<Appointment | null> {
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
  private async proposeMaintenance(
    tx: Tx,
    actor: Actor,
    series: TreatmentSeries,
    earliest: Date,
    why: string,
  ): Promise<Appointment | null> {
    const m = tx.manager;
    const settings = await this.settings.forClinic(series.clinicId, m);
    const clinic = await m.findOneByOrFail(Clinic, { id: series.clinicId });
    const isOpen = (date: string) =>
      (settings.openingHours[localParts(zonedTimeToUtc(date, '12:00', clinic.timeZone), clinic.timeZone).weekday as Weekday] ?? []).length >
      0;
    let date = localParts(earliest, clinic.timeZone).date;
    for (let i = 0; i < 7 && !isOpen(date); i++)
      date = localParts(new Date(zonedTimeToUtc(date, '12:00', clinic.timeZone).getTime() + DAY_MS), clinic.timeZone).date;
    const startsAt = zonedTimeToUtc(date, series.preferredTime, clinic.timeZone);
    let proposed: Appointment | null = null;
    for (const chair of await m.find(Chair, { where: { clinicId: series.clinicId, active: true }, order: { name: 'ASC' } })) {
      try {
        proposed = await this.book(
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
  async bringMaintenanceForward(tx: Tx, actor: Actor, patientId: string, signal: string): Promise<Appointment | null> {
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
    const ahead = await this.maintenanceAhead(m, series.id, now);
    if (ahead && localParts(ahead.startsAt, clinic.timeZone).date <= tomorrow) return null;
    const later = await m.find(Appointment, { where: { seriesId: series.id, status: 'tentative' } });
    for (const a of later.filter((x) => x.startsAt > now)) {
      Object.assign(a, { status: 'cancelled', cancelledAt: now, cancelledBy: actor.userId, cancelReason: `brought forward: ${signal}` });
      await m.save(a);
      await this.followUps.closeOpen(
        tx,
        { patientId, kind: 'maintenance-proposal', subjectId: a.id },
        { status: 'cancelled', note: `replaced by an earlier proposal: ${signal}` },
      );
    }
    const proposed = await this.proposeMaintenance(tx, actor, series, new Date(now.getTime() + DAY_MS), `Relapse signal (${signal})`);
    await this.audit.record(tx, {
      action: 'maintenance.bring-forward',
      resourceType: 'patient',
      resourceId: patientId,
      changes: {
        seriesId: series.id,
        signal,
        withdrawn: later.map((a) => a.id),
        proposed: proposed?.id ?? null,
        confirmedKept: ahead?.status === 'booked' ? ahead.id : null,
      },
    });
    return proposed;
  }

  /**
   * Maintenance stops (consent withdrawn, discharged from care): the series stop proposing, Vigil's
   * tentative proposals are cancelled with their tasks; confirmed appointments are flagged for the
   * administrators by the caller. Returns the series stopped.
   */
  async stopMaintenance(
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

  async createChair(actor: Actor, name: string): Promise<Chair> {
    return this.transactions.run(async (tx) => {
      if (await tx.manager.existsBy(Chair, { clinicId: actor.clinicId, name: name.trim() }))
        throw DomainError.conflict('DUPLICATE_KEY', 'A chair with this name exists', [{ field: 'name', message: 'already in use' }]);
      const chair = await tx.manager.save(tx.manager.create(Chair, { clinicId: actor.clinicId, name: name.trim(), active: true }));
      await this.audit.record(tx, { action: 'chair.create', resourceType: 'chair', resourceId: chair.id, changes: { name: chair.name } });
      return chair;
    });
  }

  async updateChair(actor: Actor, id: string, changes: { name?: string; active?: boolean }): Promise<Chair> {
    return this.transactions.run(async (tx) => {
      const chair = await tx.manager.findOneBy(Chair, { id, clinicId: actor.clinicId });
      if (!chair) throw DomainError.notFound('Chair');
      const before = { name: chair.name, active: chair.active };
      Object.assign(chair, {
        ...(changes.name !== undefined && { name: changes.name.trim() }),
        ...(changes.active !== undefined && { active: changes.active }),
      });
      await tx.manager.save(chair);
      await this.audit.record(tx, {
        action: 'chair.update',
        resourceType: 'chair',
        resourceId: id,
        changes: { before, after: { name: chair.name, active: chair.active } },
      });
      return chair;
    });
  }

  listChairs(actor: Actor): Promise<Chair[]> {
    return this.dataSource.getRepository(Chair).find({ where: { clinicId: actor.clinicId }, order: { name: 'ASC' } });
  }

  /** Books a chair; overlaps are refused by the database itself (409), outside opening hours is 422. */
  async book(
    actor: Actor,
    input: { patientId: string; chairId: string; protocol: string; startsAt: Date; status?: 'booked' | 'tentative'; seriesId?: string },
    txIn?: Tx,
  ): Promise<Appointment> {
    const work = async (tx: Tx) => {
      const m = tx.manager;
      const patient = await this.patients.findInClinic(m, actor.clinicId, input.patientId).catch(() => {
        throw DomainError.validation([{ field: 'patientId', message: 'no patient with this id in your clinic' }]);
      });
      if (patient.careStatus === 'discharged')
        throw DomainError.rulesUnmet('PATIENT_DISCHARGED_FROM_CARE', 'The patient was discharged from care', [
          {
            code: 'PATIENT_DISCHARGED_FROM_CARE',
            message: `discharged from care: ${patient.dischargedFromCareReason ?? ''}`,
            overridable: false,
          },
        ]);
      const chair = await m.findOneBy(Chair, { id: input.chairId, clinicId: actor.clinicId });
      if (!chair || !chair.active)
        throw DomainError.validation([{ field: 'chairId', message: 'no active chair with this id in your clinic' }]);
      const protocol = await this.protocols.effective(actor.clinicId, input.protocol, m).catch(() => {
        throw DomainError.validation([{ field: 'protocol', message: `no protocol "${input.protocol}"` }]);
      });
      const settings = await this.settings.forClinic(actor.clinicId, m);
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const endsAt = new Date(input.startsAt.getTime() + chairMinutes(protocol, settings.appointmentTurnoverMin) * 60_000);
      if (input.startsAt.getTime() < this.clock.now().getTime() - 60_000)
        throw DomainError.validation([{ field: 'startsAt', message: 'must not be in the past' }]);
      if (!withinOpeningHours(input.startsAt, endsAt, settings.openingHours, clinic.timeZone)) {
        const local = localParts(input.startsAt, clinic.timeZone);
        throw DomainError.rulesUnmet('OUTSIDE_OPENING_HOURS', 'The clinic is closed for part of this appointment', [
          {
            code: 'OUTSIDE_OPENING_HOURS',
            message: `${local.date} ${local.time} (${clinic.timeZone}) for ${Math.round((endsAt.getTime() - input.startsAt.getTime()) / 60_000)} min is outside the opening hours`,
            overridable: false,
          },
        ]);
      }
      const appointment = m.create(Appointment, {
        clinicId: actor.clinicId,
        patientId: input.patientId,
        chairId: chair.id,
        protocolKey: protocol.key,
        startsAt: input.startsAt,
        endsAt,
        status: input.status ?? 'booked',
        seriesId: input.seriesId ?? null,
        createdBy: actor.userId,
      });
      try {
        // A savepoint, so a refused overlap leaves the caller's transaction usable (a series tries alternatives).
        await m.query('SAVEPOINT book');
        await m.save(appointment);
        await m.query('RELEASE SAVEPOINT book');
      } catch (err) {
        await m.query('ROLLBACK TO SAVEPOINT book');
        const constraint = err instanceof QueryFailedError ? (err as unknown as { constraint?: string }).constraint : undefined;
        const known = constraint ? CONSTRAINT_CODES[constraint] : undefined;
        if (known) throw DomainError.conflict(known[0], known[1], [{ code: known[0], message: known[1] }]);
        throw err;
      }
      await this.audit.record(tx, {
        action: 'appointment.book',
        resourceType: 'appointment',
        resourceId: appointment.id,
        changes: {
          patientId: input.patientId,
          chairId: chair.id,
          protocol: protocol.key,
          startsAt: input.startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          status: appointment.status,
        },
      });
      if (appointment.status === 'booked') await this.scheduleReminder(tx, appointment);
      return appointment;
    };
    return txIn ? work(txIn) : this.transactions.run(work);
  }

  /**
   * Books a whole induction series in one transaction: every session at the preferred local time
   * (constant across daylight-saving changes), each in the given chair or the first free one. If
   * any date cannot be placed, nothing is booked: 409 with those dates and the nearest free times.
   */
  async bookSeries(
    actor: Actor,
    patientId: string,
    input: { protocol: string; startDate: string; preferredTime: string; chairId?: string },
  ) {
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      await this.patients.findInClinic(m, actor.clinicId, patientId, true);
      const protocol = await this.protocols.effective(actor.clinicId, input.protocol, m).catch(() => {
        throw DomainError.validation([{ field: 'protocol', message: `no protocol "${input.protocol}"` }]);
      });
      const settings = await this.settings.forClinic(actor.clinicId, m);
      const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
      const dates = planSeriesDates(protocol.induction, input.startDate, (wd) => (settings.openingHours[wd as Weekday] ?? []).length > 0);
      const window = protocol.induction.windowDays;
      if (window && seriesSpanDays(dates) > window.max)
        throw DomainError.rulesUnmet('SERIES_WINDOW_EXCEEDED', 'The series does not fit its window', [
          {
            code: 'SERIES_WINDOW_EXCEEDED',
            message: `${seriesSpanDays(dates)} days; ${protocol.key} fits in ${window.max}`,
            overridable: false,
          },
        ]);
      const chairs = input.chairId
        ? [input.chairId]
        : (await m.find(Chair, { where: { clinicId: actor.clinicId, active: true }, order: { name: 'ASC' } })).map((c) => c.id);
      if (!chairs.length) throw DomainError.validation([{ field: 'chairId', message: 'the clinic has no active chair' }]);
      const series = await m.save(
        m.create(TreatmentSeries, {
          clinicId: actor.clinicId,
          patientId,
          protocolKey: protocol.key,
          startDate: input.startDate,
          preferredTime: input.preferredTime,
          sessionsPlanned: dates.length,
          createdBy: actor.userId,
        }),
      );
      const booked: Appointment[] = [];
      const unplaced: { date: string; startsAt: string; reason: string; alternatives: { chairId: string; startsAt: string }[] }[] = [];
      const minutes = chairMinutes(protocol, settings.appointmentTurnoverMin);
      for (const date of dates) {
        const startsAt = zonedTimeToUtc(date, input.preferredTime, clinic.timeZone);
        let reason = '';
        for (const chairId of chairs) {
          try {
            booked.push(await this.book(actor, { patientId, chairId, protocol: protocol.key, startsAt, seriesId: series.id }, tx));
            reason = '';
            break;
          } catch (err) {
            if (!(err instanceof DomainError) || (err.status !== 409 && err.status !== 422)) throw err;
            reason = err.code;
          }
        }
        if (reason)
          unplaced.push({
            date,
            startsAt: startsAt.toISOString(),
            reason,
            alternatives: await this.nearestFree(
              m,
              actor.clinicId,
              patientId,
              chairs,
              date,
              input.preferredTime,
              minutes,
              clinic.timeZone,
              settings.openingHours,
            ),
          });
      }
      if (unplaced.length)
        throw DomainError.conflict(
          'SERIES_UNPLACEABLE',
          `${unplaced.length} of ${dates.length} sessions cannot be placed; nothing was booked`,
          unplaced.map((u) => ({ code: u.reason, message: `${u.date} at ${input.preferredTime}`, ...u })),
        );
      await this.audit.record(tx, {
        action: 'series.book',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { seriesId: series.id, protocol: protocol.key, dates, preferredTime: input.preferredTime },
      });
      return { series, appointments: booked };
    });
  }

  /** The patient's series with their progress: sessions completed, missed (no-show or cancelled), still ahead. */
  async seriesOf(actor: Actor, patientId: string) {
    await this.patients.findInClinic(this.dataSource.manager, actor.clinicId, patientId);
    const rows = await this.dataSource.query<
      {
        id: string;
        protocol_key: string;
        start_date: string;
        preferred_time: string;
        sessions_planned: number;
        status: string;
        completed: number;
        missed: number;
        ahead: number;
      }[]
    >(
      `SELECT s.id, s.protocol_key, to_char(s.start_date, 'YYYY-MM-DD') AS start_date, s.preferred_time, s.sessions_planned, s.status,
              count(a.id) FILTER (WHERE a.status = 'completed')::int AS completed,
              count(a.id) FILTER (WHERE a.status IN ('no-show', 'cancelled'))::int AS missed,
              count(a.id) FILTER (WHERE a.status IN ('booked', 'tentative', 'checked-in'))::int AS ahead
         FROM treatment_series s LEFT JOIN appointments a ON a.series_id = s.id
        WHERE s.patient_id = $1 AND s.clinic_id = $2
        GROUP BY s.id ORDER BY s.created_at`,
      [patientId, actor.clinicId],
    );
    return rows.map((r) => ({
      id: r.id,
      protocol: r.protocol_key,
      startDate: r.start_date,
      preferredTime: r.preferred_time,
      sessionsPlanned: r.sessions_planned,
      status: r.status,
      completed: r.completed,
      missed: r.missed,
      ahead: r.ahead,
    }));
  }

  /** Up to 3 free start times that day (15-minute steps within opening hours), nearest to the preferred time first. */
  private async nearestFree(
    m: EntityManager,
    clinicId: string,
    patientId: string,
    chairIds: string[],
    date: string,
    preferred: string,
    minutes: number,
    tz: string,
    hours: OpeningHours,
  ) {
    const wd = localParts(zonedTimeToUtc(date, '12:00', tz), tz).weekday as Weekday;
    const want = zonedTimeToUtc(date, preferred, tz).getTime();
    const candidates: { chairId: string; startsAt: Date }[] = [];
    for (const [open, close] of hours[wd] ?? []) {
      const end = zonedTimeToUtc(date, close, tz).getTime();
      for (let t = zonedTimeToUtc(date, open, tz).getTime(); t + minutes * 60_000 <= end; t += 15 * 60_000) {
        for (const chairId of chairIds) candidates.push({ chairId, startsAt: new Date(t) });
      }
    }
    candidates.sort((a, b) => Math.abs(a.startsAt.getTime() - want) - Math.abs(b.startsAt.getTime() - want));
    const free: { chairId: string; startsAt: string }[] = [];
    for (const c of candidates) {
      if (free.length >= 3) break;
      const endsAt = new Date(c.startsAt.getTime() + minutes * 60_000);
      const [row] = await m.query<{ busy: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM appointments WHERE clinic_id = $1 AND status NOT IN ('cancelled', 'no-show')
           AND (chair_id = $2 OR patient_id = $3) AND tstzrange(starts_at, ends_at) && tstzrange($4, $5)) AS busy`,
        [clinicId, c.chairId, patientId, c.startsAt, endsAt],
      );
      if (!row?.busy) free.push({ chairId: c.chairId, startsAt: c.startsAt.toISOString() });
    }
    return free;
  }

  async list(actor: Actor, f: { from: Date; to: Date; chairId?: string; patientId?: string }): Promise<Appointment[]> {
    return this.dataSource.getRepository(Appointment).find({
      where: {
        clinicId: actor.clinicId,
        startsAt: Between(f.from, f.to),
        ...(f.chairId && { chairId: f.chairId }),
        ...(f.patientId && { patientId: f.patientId }),
      },
      order: { startsAt: 'ASC' },
    });
  }

  async cancel(actor: Actor, id: string, reason: string, status: 'cancelled' | 'no-show' = 'cancelled'): Promise<Appointment> {
    return this.transactions.run(async (tx) => {
      const a = await this.lockAppointment(tx, actor, id);
      if (!['booked', 'tentative'].includes(a.status)) throw DomainError.conflict('INVALID_TRANSITION', `The appointment is ${a.status}`);
      Object.assign(a, { status, cancelledAt: this.clock.now(), cancelledBy: actor.userId, cancelReason: reason.trim() });
      await tx.manager.save(a);
      await this.pendingWork.cancel(tx, JobName.AppointmentReminder, a.id);
      if (a.seriesId)
        await this.followUps.closeOpen(
          tx,
          { patientId: a.patientId, kind: 'maintenance-proposal', subjectId: a.id },
          { status: 'cancelled', note: `appointment ${status}: ${a.cancelReason}`, by: actor.userId },
        );
      await this.audit.record(tx, {
        action: `appointment.${status}`,
        resourceType: 'appointment',
        resourceId: id,
        changes: { reason: a.cancelReason },
      });
      return a;
    });
  }

  /** An administrator confirms a proposed (tentative) maintenance session; its task is done and the patient will be reminded. */
  async confirm(actor: Actor, id: string): Promise<Appointment> {
    return this.transactions.run(async (tx) => {
      const a = await this.lockAppointment(tx, actor, id);
      if (a.status !== 'tentative') throw DomainError.conflict('INVALID_TRANSITION', `The appointment is ${a.status}, not tentative`);
      a.status = 'booked';
      await tx.manager.save(a);
      await this.followUps.closeOpen(
        tx,
        { patientId: a.patientId, kind: 'maintenance-proposal', subjectId: a.id },
        { status: 'done', note: 'confirmed', by: actor.userId },
      );
      await this.scheduleReminder(tx, a);
      await this.audit.record(tx, {
        action: 'appointment.confirm',
        resourceType: 'appointment',
        resourceId: id,
        changes: { startsAt: a.startsAt.toISOString() },
      });
      return a;
    });
  }

  /**
   * Moves an appointment not yet checked in: the old one is kept as cancelled ("moved") and a new
   * one booked at the new time and chair (same series), in one transaction; an overlap refuses the
   * whole move. A moved proposal counts as confirmed.
   */
  async move(actor: Actor, id: string, to: { startsAt: Date; chairId?: string }): Promise<Appointment> {
    return this.transactions.run(async (tx) => {
      const a = await this.lockAppointment(tx, actor, id);
      if (!['booked', 'tentative'].includes(a.status)) throw DomainError.conflict('INVALID_TRANSITION', `The appointment is ${a.status}`);
      const now = this.clock.now();
      Object.assign(a, { status: 'cancelled', cancelledAt: now, cancelledBy: actor.userId, cancelReason: 'moved' });
      await tx.manager.save(a);
      await this.pendingWork.cancel(tx, JobName.AppointmentReminder, a.id);
      const moved = await this.book(
        actor,
        {
          patientId: a.patientId,
          chairId: to.chairId ?? a.chairId,
          protocol: a.protocolKey,
          startsAt: to.startsAt,
          seriesId: a.seriesId ?? undefined,
        },
        tx,
      );
      if (a.flags.length) {
        moved.flags = a.flags;
        await tx.manager.save(moved);
      }
      await this.followUps.closeOpen(
        tx,
        { patientId: a.patientId, kind: 'maintenance-proposal', subjectId: a.id },
        { status: 'done', note: `moved to ${to.startsAt.toISOString()}`, by: actor.userId },
      );
      await this.audit.record(tx, {
        action: 'appointment.move',
        resourceType: 'appointment',
        resourceId: id,
        changes: { from: a.startsAt.toISOString(), to: to.startsAt.toISOString(), chairId: moved.chairId, newAppointmentId: moved.id },
      });
      return moved;
    });
  }

  private async lockAppointment(tx: Tx, actor: Actor, id: string): Promise<Appointment> {
    const a = await tx.manager
      .createQueryBuilder(Appointment, 'a')
      .setLock('pessimistic_write')
      .where('a.id = :id AND a.clinic_id = :c', { id, c: actor.clinicId })
      .getOne();
    if (!a) throw DomainError.notFound('Appointment');
    return a;
  }

  /** A confirmed appointment: the patient's reminder at the clinic's lead time (default 24 h), unless that has passed. */
  private async scheduleReminder(tx: Tx, a: Appointment): Promise<void> {
    const settings = await this.settings.forClinic(a.clinicId, tx.manager);
    const dueAt = new Date(a.startsAt.getTime() - settings.appointmentReminderHours * 3600_000);
    if (dueAt.getTime() <= this.clock.now().getTime()) return;
    await this.pendingWork.schedule(tx, { kind: JobName.AppointmentReminder, subjectId: a.id, dueAt, clinicId: a.clinicId });
  }

  /**
   * The reminder (issue 6): only for a confirmed appointment still ahead, only if the patient agreed
   * to be contacted, the way they chose: an email in the outbox, or a call task for the front desk.
   */
  @JobHandler(JobName.AppointmentReminder)
  async remind(work: PendingWork, tx: Tx): Promise<void> {
    const m = tx.manager;
    const a = await m.findOneBy(Appointment, { id: work.subjectId });
    if (!a || a.status !== 'booked' || a.startsAt.getTime() <= this.clock.now().getTime()) return;
    const patient = await m.findOneByOrFail(Patient, { id: a.patientId });
    if (!patient.contactConsent || patient.contactPreference === 'none' || patient.careStatus !== 'active') return;
    const clinic = await m.findOneByOrFail(Clinic, { id: a.clinicId });
    const when = localParts(a.startsAt, clinic.timeZone);
    if (patient.contactPreference === 'email' && patient.email) {
      await this.outbox.add(tx, {
        clinicId: a.clinicId,
        recipientAddress: patient.email,
        subject: `Your appointment at ${clinic.name} on ${when.date} at ${when.time}`,
        body: [
          `Dear ${patient.firstName},`,
          `this is a reminder of your treatment appointment at ${clinic.name} on ${when.date} at ${when.time} (${clinic.timeZone}).`,
          'Please arrange for an adult to take you home afterwards: you must not drive until the next day, after a night’s sleep.',
          'If you cannot come, please call the clinic.',
        ].join('\n\n'),
      });
    } else if (patient.contactPreference === 'phone' && patient.phone) {
      await this.followUps.create(tx, {
        clinicId: a.clinicId,
        patientId: a.patientId,
        kind: 'appointment-reminder-call',
        subjectType: 'appointment',
        subjectId: a.id,
        title: `Call ${patient.firstName} ${patient.lastName} (${patient.phone}) about the appointment on ${when.date} at ${when.time}`,
        dueAt: this.clock.now(),
        assigneeRole: 'admin',
      });
    }
  }

  /** The clinic's day per chair: appointments, their sessions, and the free time within opening hours. */
  async day(actor: Actor, date: string) {
    const clinic = await this.dataSource.getRepository(Clinic).findOneByOrFail({ id: actor.clinicId });
    const settings = await this.settings.forClinic(actor.clinicId);
    const weekday = localParts(zonedTimeToUtc(date, '12:00', clinic.timeZone), clinic.timeZone).weekday as Weekday;
    const open = (settings.openingHours[weekday] ?? []).map(
      ([o, c]) => [zonedTimeToUtc(date, o, clinic.timeZone), zonedTimeToUtc(date, c, clinic.timeZone)] as const,
    );
    const dayStart = zonedTimeToUtc(date, '00:00', clinic.timeZone);
    const dayEnd = new Date(dayStart.getTime() + 36 * 3600_000);
    const chairs = await this.listChairs(actor);
    const appointments = await this.dataSource
      .getRepository(Appointment)
      .createQueryBuilder('a')
      .where('a.clinic_id = :c AND a.starts_at >= :s AND a.starts_at < :e', { c: actor.clinicId, s: dayStart, e: dayEnd })
      .andWhere(`a.status NOT IN ('cancelled', 'no-show')`)
      .orderBy('a.starts_at')
      .getMany();
    const sameDay = appointments.filter((a) => localParts(a.startsAt, clinic.timeZone).date === date);
    return {
      date,
      timeZone: clinic.timeZone,
      openingHours: settings.openingHours[weekday] ?? [],
      chairs: chairs
        .filter((c) => c.active)
        .map((c) => {
          const mine = sameDay.filter((a) => a.chairId === c.id);
          return { chairId: c.id, name: c.name, appointments: mine.map(appointmentView), free: freeIntervals(open, mine) };
        }),
    };
  }

  /** Consent withdrawn: every future appointment of the patient is flagged for the administrators. */
  async flagFutureAppointments(m: EntityManager, patientId: string, flag: string, from: Date): Promise<number> {
    const rows = await m.query<[unknown[], number]>(
      `UPDATE appointments SET flags = array_append(flags, $3) WHERE patient_id = $1 AND starts_at > $2 AND status IN ('booked', 'tentative') AND NOT ($3 = ANY(flags)) RETURNING id`,
      [patientId, from, flag],
    );
    return rows[1];
  }

  /** Keeps an appointment in step with its session (checked in, completed, cancelled, no-show). */
  async followSession(m: EntityManager, sessionId: string, status: AppointmentStatus): Promise<void> {
    await m.query(`UPDATE appointments SET status = $2 WHERE session_id = $1 AND status NOT IN ('cancelled', 'no-show', 'completed')`, [
      sessionId,
      status,
    ]);
  }

  /** Links a booked appointment to the session created for it (same patient, same clinic, not yet linked). */
  async link(m: EntityManager, clinicId: string, appointmentId: string, patientId: string, sessionId: string): Promise<void> {
    const result = await m.query<[unknown[], number]>(
      `UPDATE appointments SET session_id = $4 WHERE id = $1 AND clinic_id = $2 AND patient_id = $3 AND session_id IS NULL AND status IN ('booked', 'tentative') RETURNING id`,
      [appointmentId, clinicId, patientId, sessionId],
    );
    if (result[1] !== 1)
      throw DomainError.validation([{ field: 'appointmentId', message: 'no open appointment of this patient has this id' }]);
  }
}

function freeIntervals(open: readonly (readonly [Date, Date])[], booked: Appointment[]): { from: string; to: string }[] {
  const free: { from: string; to: string }[] = [];
  for (const [start, end] of open) {
    let cursor = start.getTime();
    for (const a of booked.filter((x) => x.endsAt > start && x.startsAt < end)) {
      if (a.startsAt.getTime() > cursor) free.push({ from: new Date(cursor).toISOString(), to: a.startsAt.toISOString() });
      cursor = Math.max(cursor, a.endsAt.getTime());
    }
    if (cursor < end.getTime()) free.push({ from: new Date(cursor).toISOString(), to: end.toISOString() });
  }
  return free;
}
