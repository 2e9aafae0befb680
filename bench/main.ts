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
// The ten-minute soak measures memory, not speed. So that the whole set fits in fifteen minutes,
// the scenarios whose goals leave room run one after another beside it (each on a stack of its
// own) once its two-minute warm-up is over; their tables say so. Ingest and alert latency, the
// goals most sensitive to a shared machine, run first and alone.
const BESIDE_SOAK = ['board', 'streams', 'queue', 'hl7'];
const beside = chosen.includes('memory') ? chosen.filter((n) => BESIDE_SOAK.includes(n)) : [];
const WARM_UP_MS = 120_000;

async function timed(name: string, note = ''): Promise<string> {
  const t0 = Date.now();
  console.error(`== ${name}${note}`);
  const out = await SCENARIOS[name]();
  return `${out}

_${name}: ${Math.round((Date.now() - t0) / 1000)} s${note}_
`;
}

async function besideTheSoak(): Promise<string[]> {
  await sleep(WARM_UP_MS);
  const out: string[] = [];
  for (const name of beside)
    out.push(await timed(name, ', beside the memory soak').catch((err: Error) => `${name} failed: ${err.message}`));
  return out;
}

for (const name of chosen.filter((n) => !beside.includes(n))) {
  const besideRun = name === 'memory' && beside.length ? besideTheSoak() : null;
  console.log(await timed(name, besideRun ? ` (${beside.join(', ')} beside it after ${WARM_UP_MS / 1000} s)` : ''));
  if (besideRun) for (const out of await besideRun) console.log(out);
}
console.error(`bench finished in ${Math.round((Date.now() - started) / 1000)} s`);
