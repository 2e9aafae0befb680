import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clinic, localParts, zonedTimeToUtc, type Actor } from '#platform';
import { ClinicSettingsService } from '../settings/index.js';
import { appointmentView, type AppointmentView } from './appointment-view.js';
import { ChairsService } from '../chairs/index.js';
import { freeIntervals, openIntervals, openingOf } from './opening-hours.js';
import { Appointment } from './scheduling.entity.js';

/** An appointment on the day's board names its patient, so the front desk needs no second look-up. */
export type ScheduledAppointment = AppointmentView & { patient: { firstName: string; lastName: string; mrn: string } };

export interface DaySchedule {
  date: string;
  timeZone: string;
  openingHours: [string, string][];
  chairs: { chairId: string; name: string; appointments: ScheduledAppointment[]; free: { from: string; to: string }[] }[];
}

const scheduled = (a: Appointment): ScheduledAppointment => ({
  ...appointmentView(a),
  patient: { firstName: a.patient?.firstName ?? '', lastName: a.patient?.lastName ?? '', mrn: a.patient?.mrn ?? '' },
});

/** The clinic's calendar day, chair by chair. */
@Injectable()
export class DayScheduleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ClinicSettingsService,
    private readonly chairs: ChairsService,
  ) {}

  /** The clinic's day per active chair: appointments, their sessions, and the free time within opening hours. */
  async day(actor: Actor, date: string): Promise<DaySchedule> {
    const clinic = await this.dataSource.getRepository(Clinic).findOneByOrFail({ id: actor.clinicId });
    const settings = await this.settings.forClinic(actor.clinicId);
    const open = openIntervals(date, settings.openingHours, clinic.timeZone);
    const dayStart = zonedTimeToUtc(date, '00:00', clinic.timeZone);
    const dayEnd = new Date(dayStart.getTime() + 36 * 3600_000);
    const chairs = await this.chairs.active(this.dataSource.manager, actor.clinicId);
    const appointments = await this.dataSource
      .getRepository(Appointment)
      .createQueryBuilder('a')
      .innerJoinAndSelect('a.patient', 'p')
      .where('a.clinic_id = :c AND a.starts_at >= :s AND a.starts_at < :e', { c: actor.clinicId, s: dayStart, e: dayEnd })
      .andWhere(`a.status NOT IN ('cancelled', 'no-show')`)
      .orderBy('a.starts_at')
      .getMany();
    const sameDay = appointments.filter((a) => localParts(a.startsAt, clinic.timeZone).date === date);
    return {
      date,
      timeZone: clinic.timeZone,
      openingHours: openingOf(date, settings.openingHours, clinic.timeZone),
      chairs: chairs.map((c) => {
        const mine = sameDay.filter((a) => a.chairId === c.id);
        return { chairId: c.id, name: c.name, appointments: mine.map(scheduled), free: freeIntervals(open, mine) };
      }),
    };
  }
}
