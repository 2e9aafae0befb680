import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Tx } from '#platform';
import { ClinicEventBus } from './clinic-event-bus.js';
import { CLINIC_EVENTS, type BookingEffects, type ClinicEventName, type ClinicEventPayload } from './clinic-events.js';
import { CLINIC_EVENT_HANDLER, OnClinicEvent } from './on-clinic-event.decorator.js';

const calls: string[] = [];

/** One handler for every required event, so the start-up check passes. */
@Injectable()
class AllEvents {
  @OnClinicEvent('SessionOpened') async opened(): Promise<void> {
    calls.push('opened');
  }
  @OnClinicEvent('SessionStatusChanged') async changed(e: ClinicEventPayload<'SessionStatusChanged'>): Promise<void> {
    calls.push(`changed:${e.to}`);
  }
  @OnClinicEvent('ConsentWithdrawn') async withdrawn(): Promise<BookingEffects> {
    return { appointmentsFlagged: 2, stoppedSeries: ['s1'] };
  }
  @OnClinicEvent('RelapseDetected') async relapse(): Promise<void> {
    throw new Error('relapse handler failed');
  }
  @OnClinicEvent('PatientDischargedFromCare') async discharged(): Promise<BookingEffects> {
    return { appointmentsFlagged: 0, stoppedSeries: [] };
  }
  @OnClinicEvent('ReadingsRecorded') async readings(): Promise<void> {}
  @OnClinicEvent('ControlledDoseDrawn') async drawn(): Promise<{ lot: string }> {
    return { lot: 'L1' };
  }
  @OnClinicEvent('AssessmentRecorded') async assessment(): Promise<boolean> {
    return false;
  }
  @OnClinicEvent('ProtocolThresholdsEditing') async thresholds(): Promise<[]> {
    return [];
  }
  @OnClinicEvent('ChairRetiring') async chairRetiring(): Promise<void> {}
}

@Injectable()
class SecondWithdrawalHandler {
  @OnClinicEvent('ConsentWithdrawn') async alsoWithdrawn(_e: unknown, tx: Tx): Promise<BookingEffects> {
    calls.push(`same tx: ${String((tx as unknown as { marker: string }).marker)}`);
    return { appointmentsFlagged: 1, stoppedSeries: [] };
  }
  @OnClinicEvent('RelapseDetected') async neverReached(): Promise<void> {
    calls.push('after the failed handler');
  }
}

@Injectable()
class OnlyOpened {
  @OnClinicEvent('SessionOpened') async opened(): Promise<void> {}
}

@Injectable()
class UnknownEvent {
  // What a typo or a removed event would leave behind; the decorator's types refuse it, metadata does not.
  @SetMetadata(CLINIC_EVENT_HANDLER, 'SessionTeleported')
  async teleported(): Promise<void> {}
}

async function boot(...providers: Array<new () => object>): Promise<ClinicEventBus> {
  const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [ClinicEventBus, ...providers] }).compile();
  await module.init();
  return module.get(ClinicEventBus);
}

const base = { clinicId: 'c', actor: { userId: 'u', clinicId: 'c', role: 'nurse' as const }, at: new Date(0) };
const tx = { marker: 'tx-1' } as unknown as Tx;

describe('ClinicEventBus', () => {
  beforeEach(() => calls.splice(0));

  it('stops start-up naming every required event that has no handler', async () => {
    const required = (Object.keys(CLINIC_EVENTS) as ClinicEventName[]).filter((n) => CLINIC_EVENTS[n].required && n !== 'SessionOpened');
    const failure = boot(OnlyOpened);
    await expect(failure).rejects.toThrow(/no handler for clinic event/);
    for (const name of required) await expect(boot(OnlyOpened)).rejects.toThrow(new RegExp(`no handler for clinic event ${name}\\b`));
  });

  it('stops start-up on a handler for an event the catalogue does not list, naming the method', async () => {
    await expect(boot(AllEvents, UnknownEvent)).rejects.toThrow('UnknownEvent.teleported handles unknown event SessionTeleported');
  });

  it('runs each handler in the publisher’s transaction and returns their replies in order', async () => {
    const bus = await boot(AllEvents, SecondWithdrawalHandler);
    const replies = await bus.publish(tx, 'ConsentWithdrawn', {
      ...base,
      patientId: 'p',
      consentId: 'k',
      kind: 'treatment',
      protocolKeys: [],
    });
    expect(replies).toEqual([
      { appointmentsFlagged: 2, stoppedSeries: ['s1'] },
      { appointmentsFlagged: 1, stoppedSeries: [] },
    ]);
    expect(calls).toEqual(['same tx: tx-1']);
    expect(bus.handlersOf('ConsentWithdrawn')).toEqual(['AllEvents.withdrawn', 'SecondWithdrawalHandler.alsoWithdrawn']);
  });

  it('passes the payload through and lets a failing handler abort the rest, so the transaction rolls back', async () => {
    const bus = await boot(AllEvents, SecondWithdrawalHandler);
    await bus.publish(tx, 'SessionStatusChanged', {
      ...base,
      sessionId: 's',
      patientId: 'p',
      verb: 'discharge',
      from: 'observation',
      to: 'discharged',
    });
    expect(calls).toEqual(['changed:discharged']);
    await expect(bus.publish(tx, 'RelapseDetected', { ...base, patientId: 'p', signal: 'PHQ-9 17' })).rejects.toThrow(
      'relapse handler failed',
    );
    expect(calls).not.toContain('after the failed handler');
  });
});
