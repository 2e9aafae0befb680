import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  findInClinicOr404,
  foundOrNull,
  keysetPage,
  localParts,
  TransactionRunner,
  type Actor,
  type FieldProblem,
  type Page,
  type Tx,
} from '#platform';
import { FollowUpsService } from '../follow-ups/index.js';
import { PatientsService } from '../patients/index.js';
import { ProtocolsService, type ProtocolVersion } from '../protocols/index.js';
import { ClinicSettingsService } from '../settings/index.js';
import { AppointmentRemindersService } from './appointment-reminders.service.js';
import { ClosuresService } from './closures.service.js';
import { appointmentView, type AppointmentView } from './appointment-view.js';
import { chairMinutes } from './chair-minutes.js';
import { DAY_MS, withinOpeningHours } from './opening-hours.js';
import { Chair } from '../chairs/index.js';
import { Appointment, type BOOKING_STATUSES } from './scheduling.entity.js';

export interface NewAppointment {
  patientId: string;
  chairId: string;
  protocol: string;
  startsAt: Date;
  status?: (typeof BOOKING_STATUSES)[number];
  seriesId?: string;
}

/** `GET /appointments` answers at most this many days between `from` and `to`. */
export const MAX_APPOINTMENT_RANGE_DAYS = 31;

const CONSTRAINT_CODES: Record<string, [ErrorCode, string]> = {
  ex_appointments_chair: [ErrorCode.ChairDoubleBooked, 'The chair is already booked for part of this time'],
  ex_appointments_patient: [ErrorCode.PatientDoubleBooked, 'The patient already has an appointment overlapping this time'],
};

const unmet = (code: ErrorCode, message: string, detail: string) =>
  DomainError.rulesUnmet(code, message, [{ code, message: detail, overridable: false }]);

/** Booking a chair for a patient, and what follows: confirm a proposal, move, cancel, no-show. */
@Injectable()
export class AppointmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly patients: PatientsService,
    private readonly protocols: ProtocolsService,
    private readonly settings: ClinicSettingsService,
    private readonly followUps: FollowUpsService,
    private readonly reminders: AppointmentRemindersService,
    private readonly closures: ClosuresService,
  ) {}

  /** Books a chair; overlaps are refused by the database itself (409), outside opening hours is 422. */
  async book(actor: Actor, input: NewAppointment, txIn?: Tx): Promise<Appointment> {
    const work = async (tx: Tx) => {
      const m = tx.manager;
      const { chair, protocol, endsAt } = await this.checkBookable(m, actor, input);
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
      await insertRefusingOverlaps(m, appointment);
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
      if (appointment.status === 'booked') await this.reminders.schedule(tx, appointment);
      return appointment;
    };
    return txIn ? work(txIn) : this.transactions.run(work);
  }

  /**
   * A booking's patient, chair and protocol as the clinic has them, and a start not in the past:
   * each a problem of its field, all at once; fields not given are not judged.
   */
  async bookingProblems(actor: Actor, input: Partial<NewAppointment>): Promise<FieldProblem[]> {
    return this.transactions.run(async (tx) => (await this.named(tx.manager, actor, input)).problems);
  }

  private async named(m: EntityManager, actor: Actor, input: Partial<NewAppointment>) {
    const problems: FieldProblem[] = [];
    const patient =
      input.patientId === undefined ? null : await foundOrNull(this.patients.findInClinic(m, actor.clinicId, input.patientId));
    if (input.patientId !== undefined && !patient) problems.push({ field: 'patientId', message: 'no patient with this id in your clinic' });
    // Held shared until the booking commits: retiring the chair waits for it, and sees it (ChairsService.update).
    const chair =
      input.chairId === undefined
        ? null
        : await m.findOne(Chair, { where: { id: input.chairId, clinicId: actor.clinicId }, lock: { mode: 'pessimistic_read' } });
    if (input.chairId !== undefined && !chair?.active)
      problems.push({ field: 'chairId', message: 'no active chair with this id in your clinic' });
    const protocol = input.protocol === undefined ? null : await foundOrNull(this.protocols.effective(actor.clinicId, input.protocol, m));
    if (input.protocol !== undefined && !protocol) problems.push({ field: 'protocol', message: `no protocol "${input.protocol}"` });
    if (input.startsAt && input.startsAt.getTime() < this.clock.now().getTime() - 60_000)
      problems.push({ field: 'startsAt', message: 'must not be in the past' });
    return { problems, patient, chair, protocol };
  }

  /** The patient still in care, an active chair, a known protocol, a time ahead and within the opening hours. */
  private async checkBookable(
    m: EntityManager,
    actor: Actor,
    input: NewAppointment,
  ): Promise<{ chair: Chair; protocol: ProtocolVersion; endsAt: Date }> {
    const { problems, patient, chair, protocol } = await this.named(m, actor, input);
    if (problems.length || !patient || !chair || !protocol) throw DomainError.validation(problems);
    if (patient.careStatus === 'discharged')
      throw unmet(
        ErrorCode.PatientDischargedFromCare,
        'The patient was discharged from care',
        `discharged from care: ${patient.dischargedFromCareReason ?? ''}`,
      );
    const settings = await this.settings.forClinic(actor.clinicId, m);
    // Held shared until the booking commits: a change of the clinic's time zone waits for it, and sees it (ClinicProfileService).
    const clinic = await m.findOneOrFail(Clinic, { where: { id: actor.clinicId }, lock: { mode: 'pessimistic_read' } });
    const minutes = chairMinutes(protocol, settings.appointmentTurnoverMin);
    const endsAt = new Date(input.startsAt.getTime() + minutes * 60_000);
    if (!withinOpeningHours(input.startsAt, endsAt, settings.openingHours, clinic.timeZone)) {
      const local = localParts(input.startsAt, clinic.timeZone);
      throw unmet(
        ErrorCode.OutsideOpeningHours,
        'The clinic is closed for part of this appointment',
        `${local.date} ${local.time} (${clinic.timeZone}) for ${Math.round(minutes)} min is outside the opening hours`,
      );
    }
    const day = localParts(input.startsAt, clinic.timeZone).date;
    if ((await this.closures.closedDays(m, actor.clinicId, day, day)).size)
      throw unmet(ErrorCode.ClinicClosed, 'The clinic is closed that day', `${day}: a closure of the clinic`);
    return { chair, protocol, endsAt };
  }

  /**
   * The clinic's appointments starting in [from, to] (at most 31 days), by start time, one page at a
   * time; optionally of one chair or one patient.
   */
  async list(
    actor: Actor,
    f: { from: Date; to: Date; chairId?: string; patientId?: string; limit: number; cursor?: string },
  ): Promise<Page<AppointmentView>> {
    if (f.to.getTime() - f.from.getTime() > MAX_APPOINTMENT_RANGE_DAYS * DAY_MS)
      throw DomainError.validation([{ field: 'to', message: `must be at most ${MAX_APPOINTMENT_RANGE_DAYS} days after from` }]);
    const q = this.dataSource
      .createQueryBuilder(Appointment, 'a')
      .where('a.clinic_id = :clinicId AND a.starts_at BETWEEN :from AND :to', { clinicId: actor.clinicId, from: f.from, to: f.to });
    if (f.chairId) q.andWhere('a.chair_id = :chairId', { chairId: f.chairId });
    if (f.patientId) q.andWhere('a.patient_id = :patientId', { patientId: f.patientId });
    return keysetPage(q, {
      sortColumn: 'a.starts_at',
      idColumn: 'a.id',
      order: 'ASC',
      cursor: f.cursor,
      limit: f.limit,
      key: (a) => ({ at: a.startsAt, id: a.id }),
      view: appointmentView,
    });
  }

  async cancel(actor: Actor, id: string, reason: string, status: 'cancelled' | 'no-show' = 'cancelled'): Promise<Appointment> {
    return this.transactions.run(async (tx) => {
      const a = await this.lockOpen(tx, actor, id);
      // A patient is a no-show only once the appointment's time has come.
      if (status === 'no-show' && a.startsAt.getTime() > this.clock.now().getTime())
        throw unmet(
          ErrorCode.AppointmentNotYetDue,
          'The appointment has not begun',
          `the appointment starts at ${a.startsAt.toISOString()}`,
        );
      Object.assign(a, { status, cancelledAt: this.clock.now(), cancelledBy: actor.userId, cancelReason: reason.trim() });
      await tx.manager.save(a);
      await this.reminders.cancel(tx, a.id);
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
      const a = await this.lock(tx, actor, id);
      if (a.status !== 'tentative')
        throw DomainError.conflict(ErrorCode.InvalidTransition, `The appointment is ${a.status}, not tentative`);
      a.status = 'booked';
      await tx.manager.save(a);
      await this.followUps.closeOpen(
        tx,
        { patientId: a.patientId, kind: 'maintenance-proposal', subjectId: a.id },
        { status: 'done', note: 'confirmed', by: actor.userId },
      );
      await this.reminders.schedule(tx, a);
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
      const a = await this.lockOpen(tx, actor, id);
      Object.assign(a, { status: 'cancelled', cancelledAt: this.clock.now(), cancelledBy: actor.userId, cancelReason: 'moved' });
      await tx.manager.save(a);
      await this.reminders.cancel(tx, a.id);
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

  private lock(tx: Tx, actor: Actor, id: string): Promise<Appointment> {
    return findInClinicOr404(tx.manager, Appointment, actor.clinicId, { id }, 'Appointment', { lock: true });
  }

  /** The appointment, locked, still booked or tentative (not checked in, done or cancelled), else 409. */
  private async lockOpen(tx: Tx, actor: Actor, id: string): Promise<Appointment> {
    const a = await this.lock(tx, actor, id);
    if (!['booked', 'tentative'].includes(a.status))
      throw DomainError.conflict(ErrorCode.InvalidTransition, `The appointment is ${a.status}`);
    return a;
  }
}

/** Inserts in a savepoint, so a refused overlap (409) leaves the caller's transaction usable (a series tries alternatives). */
async function insertRefusingOverlaps(m: EntityManager, appointment: Appointment): Promise<void> {
  try {
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
}
