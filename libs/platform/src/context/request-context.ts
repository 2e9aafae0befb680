import { AsyncLocalStorage } from 'node:async_hooks';

export type Role = 'nurse' | 'anesthesiologist' | 'admin';
export const ROLES: readonly Role[] = ['nurse', 'anesthesiologist', 'admin'] as const;

/** The signed-in user as the access token states it. */
export interface Actor {
  userId: string;
  clinicId: string;
  role: Role;
  /** The login (refresh-token family) of the access token, when the actor comes from one. */
  loginId?: string;
  /** The account's password was set by an administrator and not yet changed by its user. */
  passwordChangeRequired?: boolean;
}

/** What travels with one request (or one job) through services, logs, audit rows and job payloads. */
export interface RequestContext {
  /** Vigil's own id of the request. */
  requestId: string;
  /** The X-Request-Id the caller sent, if any: a claim, kept beside Vigil's id in the audit trail. */
  claimedRequestId?: string;
  ip?: string;
  actor?: Actor;
  /** Someone waits for the answer (an HTTP request): database calls give up quickly rather than hang. */
  interactive?: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  actor(): Actor | undefined {
    return storage.getStore()?.actor;
  },
  setActor(actor: Actor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
};
