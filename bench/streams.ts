/**
 * Scenario: many open alert streams in one clinic while alerts are raised. `STREAMS` (1,000)
 * anesthesiologist streams of `GET /alerts/stream` on one API process, and a critical reading
 * posted every 100 ms to a session that had no alert yet (`STREAM_EVENTS`, 100): every stream must
 * get every "raised" event, and the database must read each event once per process, not once per
 * stream. The same run with 10 streams is the baseline the reads are compared with.
 */
import { activeSessions, deviceReading, percentile, sleep, staff, startStack, subscribe, table, type BenchStack } from './support.js';

const STREAMS = Number(process.env['STREAMS'] ?? 1000);
const EVENTS = Number(process.env['STREAM_EVENTS'] ?? 100);
const FEW = 10;

export async function streams(): Promise<string> {
  const rows: Array<Array<string | number>> = [];
  for (const n of [FEW, STREAMS]) rows.push(await measure(n));
  return [
    `### Alert streams: ${STREAMS.toLocaleString('en')} open streams in one clinic (${EVENTS} alerts, one per 100 ms)`,
    '',
    table(
      [
        'streams',
        'events × streams',
        'received',
        'missing',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'alert_events reads',
        'reads per event',
      ],
      rows,
    ),
    '',
    'Latency: from the POST of the critical reading to its "raised" event at each stream client (the load tool, in the benchmark process, reads them all). ' +
      'Reads: index and sequential scans of `alert_events` (pg_stat_user_tables) during the alerts. Goal: every stream gets every event, p99 ≤ 250 ms, reads per event independent of the number of streams.',
  ].join('\n');
}

async function measure(n: number): Promise<Array<string | number>> {
  // Every stream comes from the benchmark's one address, as from a reverse proxy: no cap per address.
  const stack = await startStack({
    env: { ALERT_STREAMS_PER_USER: String(n), ALERT_STREAMS_PER_PROCESS: String(n + 10), HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0' },
  });
  try {
    const nurse = await staff(stack, 'nurse');
    const doctor = await staff(stack, 'anesthesiologist');
    const probes = await activeSessions(stack, nurse.userId, EVENTS, 'S');
    const arrivals = Array.from({ length: n }, () => new Map<string, number>());
    const clients: Array<{ close(): void }> = [];
    for (const [i, seen] of arrivals.entries())
      clients.push(
        await subscribe(`${stack.url}/api/v1/alerts/stream`, doctor.token, (type, data) => {
          if (type === 'raised') seen.set(data.sessionId, performance.now());
        }).catch((err: Error) => {
          throw new Error(`stream ${i + 1} of ${n} did not open: ${err.message} (${String((err.cause as Error | undefined)?.message)})`);
        }),
      );
    await sleep(2000);
    const readsBefore = await eventReads(stack);
    const sent = new Map<string, number>();
    const posts: Array<Promise<unknown>> = [];
    for (const sessionId of probes) {
      sent.set(sessionId, performance.now());
      posts.push(
        fetch(`${stack.url}/api/v1/sessions/${sessionId}/vitals`, {
          method: 'POST',
          headers: { authorization: `Bearer ${nurse.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...deviceReading(sessionId, true), systolic: 190 }),
        }).then((r) => r.arrayBuffer()),
      );
      await sleep(100);
    }
    await Promise.all(posts);
    // Deliveries finish, and PostgreSQL publishes the stream connection's counters (at most once a second).
    await sleep(3000);
    const reads = (await eventReads(stack)) - readsBefore;
    for (const c of clients) c.close();
    const latencies = arrivals.flatMap((seen) => [...sent].flatMap(([id, t0]) => (seen.has(id) ? [seen.get(id)! - t0] : [])));
    const expected = n * EVENTS;
    return [
      n,
      expected,
      latencies.length,
      expected - latencies.length,
      Math.round(percentile(latencies, 50)),
      Math.round(percentile(latencies, 95)),
      Math.round(percentile(latencies, 99)),
      Math.round(Math.max(...latencies)),
      reads,
      (reads / EVENTS).toFixed(2),
    ];
  } finally {
    await stack.close();
  }
}

/** Scans of alert_events so far (indexed and sequential), as the statistics collector has them. */
async function eventReads(stack: BenchStack): Promise<number> {
  const { rows } = await stack.db.query<{ reads: string }>(
    `SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::text AS reads FROM pg_stat_user_tables WHERE relname = 'alert_events'`,
  );
  return Number(rows[0]?.reads ?? 0);
}
