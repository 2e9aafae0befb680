/**
 * `npm run bench [scenario…]`: every scenario in turn (or those named), each on a stack of its
 * own, printing markdown tables for bench/RESULTS.md. BENCH_RUNS (3), BENCH_SECONDS (5).
 */
import { alerts } from './alerts.js';
import { board } from './board.js';
import { hl7 } from './hl7.js';
import { ingest } from './ingest.js';
import { memory } from './memory.js';
import { queue } from './queue.js';
import { streams } from './streams.js';

/** In the issues' order; `streams` is many alert streams at once, `memory` the 10-minute soak, `hl7` the monitor feed. */
const SCENARIOS: Record<string, () => Promise<string>> = { ingest, board, alerts, streams, queue, memory, hl7 };

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(a in SCENARIOS));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const started = Date.now();
console.log(
  `<!-- npm run bench ${asked.join(' ')} · ${new Date().toISOString()} · BENCH_RUNS=${process.env['BENCH_RUNS'] ?? 3} BENCH_SECONDS=${process.env['BENCH_SECONDS'] ?? 5} -->`,
);
for (const name of asked.length ? asked : Object.keys(SCENARIOS)) {
  const t0 = Date.now();
  console.error(`== ${name}`);
  console.log(await SCENARIOS[name]());
  console.log(`\n_${name}: ${Math.round((Date.now() - t0) / 1000)} s_\n`);
}
console.error(`bench finished in ${Math.round((Date.now() - started) / 1000)} s`);
