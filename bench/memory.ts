/**
 * Scenario 6: the API process's memory under a long load. A soak of 500 readings/s (SOAK_SECONDS,
 * 600 by default; SOAK_PER_REQUEST readings per POST, 5 by default: 100 requests/s) with RSS
 * sampled every 5 s: the peak must stay ≤ 300 MB and the last sample within 10% of the one at 2 min.
 */
import autocannon from 'autocannon';
import { ingestRequests } from './ingest.js';
import { activeSessions, rssMb, staff, startStack, table } from './support.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 600);
const RATE = 500;
const PER_REQUEST = Number(process.env['SOAK_PER_REQUEST'] ?? 5);

export async function memory(): Promise<string> {
  const stack = await startStack();
  try {
    const nurse = await staff(stack, 'nurse');
    const ids = await activeSessions(stack, nurse.userId, 30);
    const pid = stack.api.pid!;
    const samples: Array<{ at: number; rss: number }> = [{ at: 0, rss: rssMb(pid) }];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ at: (Date.now() - t0) / 1000, rss: rssMb(pid) }), 5000);
    const r = await autocannon({
      url: stack.url,
      connections: 20,
      overallRate: RATE / PER_REQUEST,
      duration: SECONDS,
      headers: { authorization: `Bearer ${nurse.token}`, 'content-type': 'application/json' },
      requests: ingestRequests(ids, PER_REQUEST),
    });
    clearInterval(sampler);
    samples.push({ at: (Date.now() - t0) / 1000, rss: rssMb(pid) });
    const near = (s: number) => samples.reduce((best, x) => (Math.abs(x.at - s) < Math.abs(best.at - s) ? x : best));
    const atTwo = near(Math.min(120, SECONDS / 5));
    const last = samples[samples.length - 1];
    const peak = Math.max(...samples.map((x) => x.rss));
    const marks = [0, 60, 120, 300, SECONDS].filter((s) => s <= SECONDS).map((s) => near(s));
    return [
      `### 6. Memory: ${SECONDS} s soak at ${RATE} readings/s (${PER_REQUEST} per POST, ${RATE / PER_REQUEST} requests/s, 20 connections)`,
      '',
      table(
        ['', ...marks.map((m) => `RSS at ${Math.round(m.at)} s`), 'peak RSS', 'last vs 2 min'],
        [['API process, MB', ...marks.map((m) => m.rss), peak, `${(((last.rss - atTwo.rss) / atTwo.rss) * 100).toFixed(1)}%`]],
      ),
      '',
      `Load: ${r.requests.total.toLocaleString('en')} requests (${Math.round(r.requests.average * PER_REQUEST)} readings/s), ${r.errors + r.non2xx + r.timeouts} errors, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms.`,
      'Goal: peak ≤ 300 MB, last sample within 10% of the 2-minute one, zero errors.',
    ].join('\n');
  } finally {
    await stack.close();
  }
}
