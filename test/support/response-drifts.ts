import type { Problem } from './response-contract.js';

/** An answer of the API that differs from what openapi.json publishes for its route and status. */
export interface Drift {
  route: string;
  status: number;
  url: string;
  problems: Problem[];
}

// On the global object: the watcher and the test hooks may be loaded through different module paths.
const KEY = Symbol.for('vigil.responseDrifts');
const store = ((globalThis as Record<symbol, Drift[] | undefined>)[KEY] ??= []);

export function recordDrift(drift: Drift): void {
  store.push(drift);
}

/** The drifts recorded since the last call (and forgets them). */
export function takeDrifts(): Drift[] {
  return store.splice(0, store.length);
}

export function describeDrifts(drifts: Drift[]): string {
  const lines = drifts.slice(0, 10).map((d) => {
    const problems = d.problems.map((p) => `      ${p.at}: ${p.message}`).join('\n');
    return `  ${d.route} answered ${d.status} (${d.url}):\n${problems}`;
  });
  const more = drifts.length > 10 ? `\n  … and ${drifts.length - 10} more` : '';
  return `Answers differ from what openapi.json publishes:\n${lines.join('\n')}${more}`;
}
