import type TestAgent from 'supertest/lib/agent.js';
import { bearer, type Staff } from './factories.js';
import { readySession, startBody } from './sessions.js';

/** Polls `check` every `everyMs` until it holds; fails naming `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000, everyMs = 100): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One request of a load run: when it started (ms since the run began), how long it took, what it answered. */
export interface Answer<T = unknown> {
  what: T;
  at: number;
  ms: number;
  status: number;
  code?: string;
}

/**
 * Runs `workers` loops that each call `step` until `stop()`; records every answer with its timing.
 * Each loop waits `pauseMs` between its requests (a monitor's rhythm). A step answers `{ status, code }` (status 0: no answer at all, e.g. the connection was reset).
 */
export function loadRun<T>(
  workers: number,
  step: (worker: number, i: number) => { what: T; send: () => Promise<{ status: number; code?: string }> },
  pauseMs = 0,
): { answers: Answer<T>[]; startedAt: number; stop(): Promise<Answer<T>[]> } {
  const answers: Answer<T>[] = [];
  const startedAt = Date.now();
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) {
      const { what, send } = step(w, i);
      const at = Date.now();
      const res = await send().catch(() => ({ status: 0, code: 'NO_ANSWER' }));
      answers.push({ what, at: at - startedAt, ms: Date.now() - at, status: res.status, code: res.code });
      if (pauseMs) await sleep(pauseMs);
    }
  });
  return {
    answers,
    startedAt,
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

/** `n` sessions of the clinic in dosing (IV, started through the API): the chairs a load posts to. */
export async function dosingSessions(http: TestAgent, staff: Staff, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await readySession(http, staff);
    const res = await http.post(`/api/v1/sessions/${id}/start`).set(bearer(staff.token.nurse)).send(startBody);
    if (res.status !== 200) throw new Error(`start answered ${res.status}: ${JSON.stringify(res.body)}`);
    ids.push(id);
  }
  return ids;
}
