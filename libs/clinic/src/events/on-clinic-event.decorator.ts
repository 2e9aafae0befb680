import { SetMetadata } from '@nestjs/common';
import type { Tx } from '#platform';
import type { ClinicEventName, ClinicEventPayload, ClinicEventReply } from './clinic-events.js';

export const CLINIC_EVENT_HANDLER = 'vigil:clinic-event-handler';

export type ClinicEventHandler<K extends ClinicEventName> = (event: ClinicEventPayload<K>, tx: Tx) => Promise<ClinicEventReply<K>>;

/**
 * Marks a service method as a reaction to `name`. It runs inside the publisher's transaction
 * (`tx`), after the change that caused it; a handler that throws rolls the whole change back.
 * The method's signature is checked against the event's payload and reply.
 */
export function OnClinicEvent<K extends ClinicEventName>(name: K) {
  return <H extends ClinicEventHandler<K>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    SetMetadata(CLINIC_EVENT_HANDLER, name)(target, key, descriptor);
  };
}
