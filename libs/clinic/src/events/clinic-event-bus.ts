import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Tx } from '#platform';
import { CLINIC_EVENTS, type ClinicEventName, type ClinicEventPayload, type ClinicEventReply } from './clinic-events.js';
import { CLINIC_EVENT_HANDLER } from './on-clinic-event.decorator.js';

type AnyHandler = (event: unknown, tx: Tx) => Promise<unknown>;

/**
 * Finds every `@OnClinicEvent` at start-up and refuses to start when a handler names an event the
 * catalogue does not list, or a required event has none. `publish` runs the handlers one after
 * another in the publisher's transaction and returns their replies.
 */
@Injectable()
export class ClinicEventBus implements OnModuleInit {
  private readonly handlers = new Map<string, { owner: string; run: AnyHandler }[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const unknown: string[] = [];
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<string | undefined>(CLINIC_EVENT_HANDLER, fn as AnyHandler);
        if (!name) continue;
        const owner = `${proto.constructor.name}.${method}`;
        if (!(name in CLINIC_EVENTS)) unknown.push(`${owner} handles unknown event ${name}`);
        const list = this.handlers.get(name) ?? [];
        list.push({ owner, run: (fn as AnyHandler).bind(instance) });
        this.handlers.set(name, list);
      }
    }
    const missing = (Object.keys(CLINIC_EVENTS) as ClinicEventName[]).filter(
      (name) => CLINIC_EVENTS[name].required && !this.handlers.has(name),
    );
    const problems = [...unknown, ...missing.map((name) => `no handler for clinic event ${name}`)];
    if (problems.length) throw new Error(`clinic events: ${problems.join('; ')}`);
  }

  /** Runs every handler of `name` in `tx`, in start-up order; the first that throws aborts the rest (and the transaction). */
  async publish<K extends ClinicEventName>(tx: Tx, name: K, event: ClinicEventPayload<K>): Promise<ClinicEventReply<K>[]> {
    const replies: ClinicEventReply<K>[] = [];
    for (const handler of this.handlers.get(name) ?? []) replies.push((await handler.run(event, tx)) as ClinicEventReply<K>);
    return replies;
  }

  /** Who reacts to `name` (for docs and tests). */
  handlersOf(name: ClinicEventName): string[] {
    return (this.handlers.get(name) ?? []).map((h) => h.owner);
  }
}
