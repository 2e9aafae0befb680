import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuditService,
  Clinic,
  Clock,
  DomainError,
  ErrorCode,
  isValidTimeZone,
  localParts,
  TransactionRunner,
  type Actor,
  type Tx,
} from '#platform';
import { futureBookings, refusedForBookings } from './future-bookings.js';

export interface ClinicProfile {
  id: string;
  name: string;
  timeZone: string;
  version: number;
  updatedAt: string;
}

export interface ClinicProfileChanges {
  name?: string;
  timeZone?: string;
  /** The version read: 409 STALE_VERSION when the profile changed meanwhile. */
  version: number;
}

const view = (c: Clinic): ClinicProfile => ({
  id: c.id,
  name: c.name,
  timeZone: c.timeZone,
  version: c.version,
  updatedAt: c.updatedAt.toISOString(),
});

const wallClock = (at: Date, timeZone: string) => {
  const p = localParts(at, timeZone);
  return `${p.date} ${p.time.slice(0, 5)}`;
};

/**
 * The clinic's name and time zone, edited by its administrators. Opening hours, closures, calendar
 * days and the local times of series and reminders are all read in the zone, and bookings are
 * instants: a new zone is refused (409 BOOKINGS_WOULD_MOVE) while a future booking would fall at
 * another local time in it, rather than silently moving patients' appointments on the wall clock.
 */
@Injectable()
export class ClinicProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor): Promise<ClinicProfile> {
    return view(await this.dataSource.getRepository(Clinic).findOneByOrFail({ id: actor.clinicId }));
  }

  async edit(actor: Actor, changes: ClinicProfileChanges): Promise<ClinicProfile> {
    const name = changes.name?.trim();
    if (name === '') throw DomainError.validation([{ field: 'name', message: 'must not be empty' }]);
    if (changes.timeZone !== undefined && !(await this.knownZone(changes.timeZone)))
      throw DomainError.validation([{ field: 'timeZone', message: 'must be an IANA time zone such as America/New_York' }]);
    return this.transactions.run(async (tx) => {
      // Bookings hold this row shared while they are placed: no booking slips past the check below.
      const clinic = await tx.manager.findOneOrFail(Clinic, { where: { id: actor.clinicId }, lock: { mode: 'pessimistic_write' } });
      if (changes.version !== clinic.version)
        throw DomainError.conflict(
          ErrorCode.StaleVersion,
          `The clinic was changed meanwhile (version ${clinic.version}, you sent ${changes.version})`,
        );
      const before = { name: clinic.name, timeZone: clinic.timeZone };
      const after = { name: name ?? clinic.name, timeZone: changes.timeZone ?? clinic.timeZone };
      if (after.name === before.name && after.timeZone === before.timeZone) return view(clinic);
      if (after.timeZone !== before.timeZone) await this.refuseMovedBookings(tx, clinic, after.timeZone);
      Object.assign(clinic, after);
      await tx.manager.save(clinic);
      await this.audit.record(tx, { action: 'clinic.update', resourceType: 'clinic', resourceId: clinic.id, changes: { before, after } });
      return view(clinic);
    });
  }

  /** Known to the runtime (every local time Vigil computes) and to PostgreSQL (the calendar days it reads). */
  private async knownZone(zone: string): Promise<boolean> {
    if (!isValidTimeZone(zone)) return false;
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM pg_timezone_names WHERE name = $1', [zone]);
    return rows.length > 0;
  }

  private async refuseMovedBookings(tx: Tx, clinic: Clinic, zone: string): Promise<void> {
    const moved = (await futureBookings(tx.manager, clinic.id, this.clock.now())).filter(
      (a) => wallClock(a.startsAt, clinic.timeZone) !== wallClock(a.startsAt, zone),
    );
    if (!moved.length) return;
    throw refusedForBookings(
      ErrorCode.BookingsWouldMove,
      moved,
      `would fall at another local time in ${zone}: move or cancel them first`,
      (a) => `${wallClock(a.startsAt, clinic.timeZone)} in ${clinic.timeZone} would be ${wallClock(a.startsAt, zone)} in ${zone}`,
    );
  }
}
