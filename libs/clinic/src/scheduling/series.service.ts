import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  decodeCursor,
  DomainError,
  ErrorCode,
  foundOrNull,
  localParts,
  toPage,
  TransactionRunner,
  zonedTimeToUtc,
  type Actor,
  type FieldProblem,
  type Page,
  type Tx,
} from '#platform';
import { PatientsService } from '../patients/index.js';
import { ProtocolsService, type ProtocolVersion } from '../protocols/index.js';
import { ClinicSettingsService, type OpeningHours } from '../settings/index.js';
import { AppointmentsService } from './appointments.service.js';
import { chairMinutes } from './chair-minutes.js';
import { ChairsService } from '../chairs/index.js';
import { ClosuresService } from './closures.service.js';
import { startsNearest } from './opening-hours.js';
import { Appointment, TreatmentSeries, type SeriesStatus } from './scheduling.entity.js';
import { planSeriesDates, seriesSpanDays } from './series-plan.js';

export interface SeriesProgress {
  id: string;
  protocol: string;
  startDate: string;
  preferredTime: string;
  sessionsPlanned: number;
  status: SeriesStatus;
  completed: number;
  missed: number;
  ahead: number;
}

interface Unplaced {
  date: string;
  startsAt: string;
  reason: string;
  alternatives: { chairId: string; startsAt: string }[];
}

/** What placing one date needs: who, where, the protocol's chair time, the clinic's zone and hours. */
interface Placement {
  actor: Actor;
  patientId: string;
  series: TreatmentSeries;
  protocol: ProtocolVersion;
  chairIds: string[];
  preferredTime: string;
  minutes: number;
  timeZone: string;
  hours: OpeningHours;
}

/** Induction series (clinical-rules.md section 1): booked as a whole, followed session by session. */
export interface SeriesInput {
  protocol: string;
  startDate: string;
  preferredTime: string;
  chairId?: string;
}

@Injectable()
export class TreatmentSeriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
    private readonly appointments: AppointmentsService,
    private readonly chairs: ChairsService,
    private readonly clock: Clock,
    private readonly closures: ClosuresService,
  ) {}

  /**
   * Books a whole induction series in one transaction: every session at the preferred local time
   * (constant across daylight-saving changes), each in the given chair or the first free one. If
   * any date cannot be placed, nothing is booked: 409 with those dates and the nearest free times.
   */
  async book(actor: Actor, patientId: string, input: SeriesInput) {
    return this.transactions.run(async (tx) => {
      const m = tx.manager;
      await this.admitPatient(m, actor, patientId);
      const { problems, protocol } = await this.named(m, actor, input);
      if (problems.length || !protocol) throw DomainError.validation(problems);
      const { dates, clinic, hours, turnoverMin } = await this.planDates(m, actor, protocol, input);
      const chairIds = input.chairId ? [input.chairId] : (await this.chairs.active(m, actor.clinicId)).map((c) => c.id);
      if (!chairIds.length) throw DomainError.validation([{ field: 'chairId', message: 'the clinic has no active chair' }]);
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
      const at: Placement = {
        actor,
        patientId,
        series,
        protocol,
        chairIds,
        preferredTime: input.preferredTime,
        minutes: chairMinutes(protocol, turnoverMin),
        timeZone: clinic.timeZone,
        hours,
      };
      const booked = await this.placeAll(tx, at, dates);
      await this.audit.record(tx, {
        action: 'series.book',
        resourceType: 'patient',
        resourceId: patientId,
        changes: { seriesId: series.id, protocol: protocol.key, dates, preferredTime: input.preferredTime },
      });
      return { series, appointments: booked };
    });
  }

  /**
   * A series' protocol and chair as the clinic has them, and a start date not before the clinic's
   * today: each a problem of its field, all at once; fields not given are not judged.
   */
  async bookingProblems(actor: Actor, input: Partial<SeriesInput>): Promise<FieldProblem[]> {
    return this.transactions.run(async (tx) => (await this.named(tx.manager, actor, input)).problems);
  }

  private async named(m: EntityManager, actor: Actor, input: Partial<SeriesInput>) {
    const problems: FieldProblem[] = [];
    const protocol = input.protocol === undefined ? null : await foundOrNull(this.protocols.effective(actor.clinicId, input.protocol, m));
    if (input.protocol !== undefined && !protocol) problems.push({ field: 'protocol', message: `no protocol "${input.protocol}"` });
    if (input.chairId !== undefined && !(await this.chairs.active(m, actor.clinicId)).some((c) => c.id === input.chairId))
      problems.push({ field: 'chairId', message: 'no active chair with this id in your clinic' });
    const { timeZone } = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
    const today = localParts(this.clock.now(), timeZone).date;
    if (input.startDate !== undefined && input.startDate < today)
      problems.push({ field: 'startDate', message: `must not be in the past (the clinic's today is ${today})` });
    return { problems, protocol };
  }

  /** The patient, locked: one induction at a time, so two bookings cannot both pass. */
  private async admitPatient(m: EntityManager, actor: Actor, patientId: string): Promise<void> {
    await this.patients.findInClinic(m, actor.clinicId, patientId, true);
    if (await m.existsBy(TreatmentSeries, { patientId, status: 'active' }))
      throw DomainError.conflict(ErrorCode.SeriesAlreadyActive, 'The patient already has an active induction series', [
        { field: 'patientId', message: 'stop, cancel or complete the active series first' },
      ]);
  }

  /** The series' dates from the start date (not in the past: `named`): open weekdays, no closed day, within the protocol's window. */
  private async planDates(m: EntityManager, actor: Actor, protocol: ProtocolVersion, input: SeriesInput) {
    const settings = await this.settings.forClinic(actor.clinicId, m);
    const clinic = await m.findOneByOrFail(Clinic, { id: actor.clinicId });
    const hours = settings.openingHours;
    const closed = await this.closures.closedDays(m, actor.clinicId, input.startDate, addDaysTo(input.startDate, 180));
    const open = (wd: string) => (hours[wd as keyof OpeningHours] ?? []).length > 0;
    const dates = planSeriesDates(protocol.induction, input.startDate, open, closed);
    checkWindow(protocol, dates);
    return { dates, clinic, hours, turnoverMin: settings.appointmentTurnoverMin };
  }

  /** Every date placed, or nothing: 409 listing the dates that cannot be placed with the nearest free times. */
  private async placeAll(tx: Tx, at: Placement, dates: string[]): Promise<Appointment[]> {
    const booked: Appointment[] = [];
    const unplaced: Unplaced[] = [];
    for (const date of dates) {
      const placed = await this.place(tx, at, date);
      if (placed instanceof Appointment) booked.push(placed);
      else unplaced.push(placed);
    }
    if (unplaced.length)
      throw DomainError.conflict(
        ErrorCode.SeriesUnplaceable,
        `${unplaced.length} of ${dates.length} sessions cannot be placed; nothing was booked`,
        unplaced.map((u) => ({ code: u.reason, message: `${u.date} at ${at.preferredTime}`, ...u })),
      );
    return booked;
  }

  /** Books one date in the first chair that takes it, else says why, with the nearest free times that day. */
  private async place(tx: Tx, p: Placement, date: string): Promise<Appointment | Unplaced> {
    const startsAt = zonedTimeToUtc(date, p.preferredTime, p.timeZone);
    let reason = '';
    for (const chairId of p.chairIds) {
      try {
        return await this.appointments.book(
          p.actor,
          { patientId: p.patientId, chairId, protocol: p.protocol.key, startsAt, seriesId: p.series.id },
          tx,
        );
      } catch (err) {
        if (!(err instanceof DomainError) || (err.status !== 409 && err.status !== 422)) throw err;
        reason = err.code;
      }
    }
    return { date, startsAt: startsAt.toISOString(), reason, alternatives: await this.nearestFree(tx.manager, p, date) };
  }

  /** Up to 3 free start times that day still ahead (15-minute steps within opening hours), nearest to the preferred time first. */
  private async nearestFree(m: EntityManager, p: Placement, date: string): Promise<{ chairId: string; startsAt: string }[]> {
    const free: { chairId: string; startsAt: string }[] = [];
    const now = this.clock.now().getTime();
    for (const startsAt of startsNearest(date, p.preferredTime, p.minutes, p.hours, p.timeZone)) {
      if (startsAt.getTime() <= now) continue;
      for (const chairId of p.chairIds) {
        if (free.length >= 3) return free;
        const endsAt = new Date(startsAt.getTime() + p.minutes * 60_000);
        const [row] = await m.query<{ busy: boolean }[]>(
          `SELECT EXISTS (SELECT 1 FROM appointments WHERE clinic_id = $1 AND status NOT IN ('cancelled', 'no-show')
             AND (chair_id = $2 OR patient_id = $3) AND tstzrange(starts_at, ends_at) && tstzrange($4, $5)) AS busy`,
          [p.actor.clinicId, chairId, p.patientId, startsAt, endsAt],
        );
        if (!row?.busy) free.push({ chairId, startsAt: startsAt.toISOString() });
      }
    }
    return free;
  }

  /** The patient's series in the order they were booked, with their progress: sessions completed, missed (no-show or cancelled), still ahead. */
  async ofPatient(actor: Actor, patientId: string, page: { limit: number; cursor?: string }): Promise<Page<SeriesProgress>> {
    await this.patients.findInClinic(this.dataSource.manager, actor.clinicId, patientId);
    const after = decodeCursor(page.cursor);
    const rows = await this.dataSource.query<
      (Omit<SeriesProgress, 'protocol' | 'startDate' | 'preferredTime' | 'sessionsPlanned'> & {
        protocol_key: string;
        start_date: string;
        preferred_time: string;
        sessions_planned: number;
        created_at: Date;
      })[]
    >(
      `SELECT s.id, s.protocol_key, to_char(s.start_date, 'YYYY-MM-DD') AS start_date, s.preferred_time, s.sessions_planned, s.status,
              s.created_at,
              count(a.id) FILTER (WHERE a.status = 'completed')::int AS completed,
              count(a.id) FILTER (WHERE a.status IN ('no-show', 'cancelled'))::int AS missed,
              count(a.id) FILTER (WHERE a.status IN ('booked', 'tentative', 'checked-in'))::int AS ahead
         FROM treatment_series s LEFT JOIN appointments a ON a.series_id = s.id
        WHERE s.patient_id = $1 AND s.clinic_id = $2 AND ($3::timestamptz IS NULL OR (s.created_at, s.id) > ($3, $4::uuid))
        GROUP BY s.id ORDER BY s.created_at, s.id LIMIT $5`,
      [patientId, actor.clinicId, after?.at ?? null, after?.id ?? null, page.limit + 1],
    );
    return toPage(
      rows,
      page.limit,
      (r) => ({ at: r.created_at, id: r.id }),
      (r) => ({
        id: r.id,
        protocol: r.protocol_key,
        startDate: r.start_date,
        preferredTime: r.preferred_time,
        sessionsPlanned: r.sessions_planned,
        status: r.status,
        completed: r.completed,
        missed: r.missed,
        ahead: r.ahead,
      }),
    );
  }
}

/** A series longer than the protocol's window is refused (422 SERIES_WINDOW_EXCEEDED). */
function checkWindow(protocol: ProtocolVersion, dates: string[]): void {
  const window = protocol.induction.windowDays;
  if (window && seriesSpanDays(dates) > window.max)
    throw DomainError.rulesUnmet(ErrorCode.SeriesWindowExceeded, 'The series does not fit its window', [
      {
        code: 'SERIES_WINDOW_EXCEEDED',
        message: `${seriesSpanDays(dates)} days; ${protocol.key} fits in ${window.max}`,
        overridable: false,
      },
    ]);
}

/** The local date `days` after `date`. */
function addDaysTo(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
