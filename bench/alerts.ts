/**
 * Scenario 4: alert latency. A connected `GET /alerts/stream` client, 1,000 readings/s flowing in
 * the background (batches of 10, 100 requests/s, none breaching), and a breaching reading posted
 * every 100 ms to a chair that had no alert yet: the time from its POST to its "raised" event
 * arriving at the stream client.
 */
import autocannon from 'autocannon';
import { activeSessions, deviceReading, percentile, sleep, staff, startStack, subscribe, table } from './support.js';

const PROBES = Number(process.env['ALERT_PROBES'] ?? 300);
const BACKGROUND_PER_SEC = 1000;
const PER_BATCH = 10;

export async function alerts(): Promise<string> {
  const stack = await startStack();
  try {
    const nurse = await staff(stack, 'nurse');
    const doctor = await staff(stack, 'anesthesiologist');
    const busy = await activeSessions(stack, nurse.userId, 30, 'L');
    const probes = await activeSessions(stack, nurse.userId, PROBES, 'P');
    const arrived = new Map<string, number>();
    const stream = await subscribe(`${stack.url}/api/v1/alerts/stream`, doctor.token, (type, data) => {
      if (type === 'raised') arrived.set(data.sessionId, performance.now());
    });

    // The background flow: 100 batch requests/s of 10 readings that breach nothing.
    let batchNo = 0;
    const background = autocannon({
      url: stack.url,
      connections: 10,
      overallRate: BACKGROUND_PER_SEC / PER_BATCH,
      duration: Math.ceil(PROBES / 10) + 5,
      headers: { authorization: `Bearer ${nurse.token}`, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const sessionId = busy[batchNo++ % busy.length];
            const readings = Array.from({ length: PER_BATCH }, () => deviceReading(sessionId));
            return { ...req, path: `/api/v1/sessions/${sessionId}/vitals/batch`, body: JSON.stringify({ readings }) };
          },
        },
      ],
    });
    await sleep(2000);
    const sent = new Map<string, number>();
    const answered: number[] = [];
    let errors = 0;
    const posts: Promise<void>[] = [];
    for (const sessionId of probes) {
      const t0 = performance.now();
      sent.set(sessionId, t0);
      posts.push(
        fetch(`${stack.url}/api/v1/sessions/${sessionId}/vitals`, {
          method: 'POST',
          headers: { authorization: `Bearer ${nurse.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...deviceReading(sessionId, true), systolic: 190, source: 'manual' }),
        }).then(async (r) => {
          await r.arrayBuffer();
          if (r.status !== 201) errors++;
          else answered.push(performance.now() - t0);
        }),
      );
      await sleep(100);
    }
    await Promise.all(posts);
    await sleep(1000);
    const bg = await background;
    stream.close();
    const latencies = [...sent].flatMap(([id, t0]) => (arrived.has(id) ? [arrived.get(id)! - t0] : []));
    const missing = PROBES - latencies.length;
    const row = (name: string, xs: number[]) => [
      name,
      xs.length,
      Math.round(percentile(xs, 50)),
      Math.round(percentile(xs, 95)),
      Math.round(percentile(xs, 99)),
      Math.round(Math.max(...xs)),
    ];
    return [
      `### 4. Alert latency: breaching POST → SSE "raised" event (${PROBES} probes, one per 100 ms)`,
      '',
      `Background: ${Math.round(bg.requests.average * PER_BATCH)} readings/s (${bg.requests.total.toLocaleString('en')} batch requests of ${PER_BATCH}, ${bg.errors + bg.non2xx} errors, p99 ${bg.latency.p99} ms).`,
      '',
      table(
        ['measured', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        [row('POST answered (201)', answered), row('event at the stream client', latencies)],
      ),
      '',
      `Goal: p99 ≤ 100 ms. Probe errors: ${errors}; events never received: ${missing}.`,
    ].join('\n');
  } finally {
    await stack.close();
  }
}
