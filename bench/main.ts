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
import { sleep } from './support.js';

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
const chosen = asked.length ? asked : Object.keys(SCENARIOS);
// The ten-minute soak measures memory, not speed: the queue scenario (on a stack of its own) runs
// beside it once the soak's two-minute warm-up is over, so the whole set fits in fifteen minutes.
const beside = chosen.includes('memory') && chosen.includes('queue') ? 'queue' : null;
for (const name of chosen.filter((n) => n !== beside)) {
  const t0 = Date.now();
  console.error(`== ${name}${name === 'memory' && beside ? ` (with ${beside} beside it after 120 s)` : ''}`);
  const besideRun =
    name === 'memory' && beside
      ? sleep(120_000)
          .then(async () => {
            const t1 = Date.now();
            return `${await SCENARIOS[beside]()}\n\n_${beside}: ${Math.round((Date.now() - t1) / 1000)} s, beside the memory soak_\n`;
          })
          .catch((err: Error) => `${beside} failed: ${err.message}`)
      : null;
  console.log(await SCENARIOS[name]());
  console.log(`\n_${name}: ${Math.round((Date.now() - t0) / 1000)} s_\n`);
  if (besideRun) console.log(await besideRun);
}
console.error(`bench finished in ${Math.round((Date.now() - started) / 1000)} s`);
