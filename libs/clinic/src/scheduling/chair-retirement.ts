import { Injectable } from '@nestjs/common';
import { Clinic, ErrorCode, localParts, type Tx } from '#platform';
import { OnClinicEvent, type ClinicEventPayload } from '../events/index.js';
import { futureBookings, refusedForBookings } from './future-bookings.js';

/** A chair is not retired while patients are booked into it from now on: they are moved or cancelled first. */
@Injectable()
export class ChairRetirementGuard {
  @OnClinicEvent('ChairRetiring')
  async chairRetiring(e: ClinicEventPayload<'ChairRetiring'>, tx: Tx): Promise<void> {
    // The chair row is locked by the retirement; a booking holds it shared until it commits, so it lands before this check or is refused after it.
    const booked = await futureBookings(tx.manager, e.clinicId, e.at, e.chairId);
    if (!booked.length) return;
    const { timeZone } = await tx.manager.findOneByOrFail(Clinic, { id: e.clinicId });
    throw refusedForBookings(
      ErrorCode.ChairHasFutureBookings,
      booked,
      `in ${e.chairName}: move them to another chair or cancel them first`,
      (a) => {
        const local = localParts(a.startsAt, timeZone);
        return `${a.status} ${local.date} ${local.time.slice(0, 5)} (${timeZone})`;
      },
    );
  }
}
