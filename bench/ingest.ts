/**
 * Scenarios 1 and 2: vitals ingest against the raw-insert baseline of the same run.
 * 1. One reading per POST, 50 connections, authenticated, thresholds evaluated, 10% breaching.
 * 2. Batches of 500 readings per POST against raw 500-row INSERTs.
 */
import type autocannon from 'autocannon';
import { rawBatchInserts, rawSingleInserts, type RawRate } from './baseline.js';
import { measuredCpu, perItemUs } from './cpu.js';
import {
  activeSessions,
  anotherApi,
  deviceReading,
  load,
  medianOf,
  RUNS,
  SECONDS,
  staff,
  startStack,
  table,
  type BenchStack,
  tenthBreaches,
  type Latency,
} from './support.js';

const SESSIONS = 50;
const BATCH = 500;

/** autocannon's request list posting to the sessions in turn: one reading, or a batch of `batch`. */
export function ingestRequests(ids: string[], batch: number): autocannon.Request[] {
  let n = 0;
  let requests = 0;
  return [
    {
      method: 'POST',
      setupRequest: (req) => {
        const sessionId = ids[requests++ % ids.length];
        const readings = Array.from({ length: batch }, () => deviceReading(sessionId, tenthBreaches(n++)));
        return batch === 1
          ? { ...req, path: `/api/v1/sessions/${sessionId}/vitals`, body: JSON.stringify(readings[0]) }
          : { ...req, path: `/api/v1/sessions/${sessionId}/vitals/batch`, body: JSON.stringify({ readings }) };
      },
    },
  ];
}

export async function ingest(): Promise<string> {
  const stack = await startStack();
  try {
    const nurse = await staff(stack, 'nurse');
    const ids = await activeSessions(stack, nurse.userId, SESSIONS);
    const headers = { authorization: `Bearer ${nurse.token}`, 'content-type': 'application/json' };
    const single = () => load({ url: stack.url, connections: 50, headers, requests: ingestRequests(ids, 1) });
    // 10 connections and 15 s: a 500-reading request takes long enough that a short window with
    // many in flight would miss the ones it ends on.
    const batch = () => load({ url: stack.url, connections: 10, duration: 3 * SECONDS, headers, requests: ingestRequests(ids, BATCH) });

    // Warm both paths (JIT, pools, plans) before anything is measured.
    await rawSingleInserts(stack, ids, nurse.userId, 2);
    await load({ url: stack.url, connections: 50, duration: 3, headers, requests: ingestRequests(ids, 1) });

    // Each run with the CPU it took per reading: the machine's (API, PostgreSQL and load generator) and the API process's.
    const costed = async <T extends object>(work: () => Promise<T>, items: (r: T) => number, pid?: number) => {
      const [r, cpu] = await measuredCpu(pid, work);
      return { ...r, machineUs: perItemUs(cpu.machineMs, items(r)), apiUs: perItemUs(cpu.apiMs, items(r)) };
    };
    const rawSingle: Array<RawRate & Cost> = [];
    const rawBatch: Array<RawRate & Cost> = [];
    for (let i = 0; i < RUNS; i++)
      rawSingle.push(
        await costed(
          () => rawSingleInserts(stack, ids, nurse.userId),
          (r) => r.rows,
        ),
      );
    for (let i = 0; i < RUNS; i++)
      rawBatch.push(
        await costed(
          () => rawBatchInserts(stack, ids, nurse.userId, BATCH),
          (r) => r.rows,
        ),
      );

    const alertsBefore = await alertCount(stack);
    const singles: Array<Latency & Cost> = [];
    for (let i = 0; i < RUNS; i++) singles.push(await costed(single, (r) => r.requests, stack.api.pid));
    const alertsAfterSingle = await alertCount(stack);
    const batches: Array<Latency & Cost> = [];
    for (let i = 0; i < RUNS; i++) batches.push(await costed(batch, (r) => r.requests * BATCH, stack.api.pid));
    const two = await twoProcesses(stack, ids, headers);

    const rs = medianOf(rawSingle);
    const rb = medianOf(rawBatch);
    const s = medianOf(singles);
    const b = medianOf(batches);
    const breached = await stack.db.query<{ n: string }>(`SELECT count(*) n FROM vital_readings WHERE breach_level = 'critical'`);
    return [
      '### 1. Vitals ingest, one reading per POST (50 connections, 10% breaching)',
      '',
      table(
        ['', 'readings/s', 'ratio to raw', 'p50 ms', 'p99 ms', 'errors', 'CPU µs a reading: machine', 'API process'],
        [
          ['raw `pg` INSERT, pool 10, 50 in flight', Math.round(rs.rowsPerSec), 1, '', rs.p99, 0, rs.machineUs, ''],
          ['`POST /sessions/:id/vitals`', Math.round(s.rps), ratio(s.rps, rs.rowsPerSec), s.p50, s.p99, s.errors, s.machineUs, s.apiUs],
          [
            'the same, two API processes (25 connections each)',
            Math.round(two.rps),
            ratio(two.rps, rs.rowsPerSec),
            two.p50,
            two.p99,
            two.errors,
            '',
            '',
          ],
        ],
      ),
      '',
      `Goal: ratio ≥ 0.50, p99 ≤ 25 ms, zero errors. Breaching readings linked to an alert during the ${RUNS} runs: ${(alertsAfterSingle - alertsBefore).toLocaleString('en')} of ${singles.reduce((n, r) => n + r.requests, 0).toLocaleString('en')} requests; ${Number(breached.rows[0].n).toLocaleString('en')} critical readings stored in all.`,
      '',
      `### 2. Vitals batch ingest, 500 readings per POST (10 connections, ${3 * SECONDS} s per run)`,
      '',
      table(
        ['', 'readings/s', 'ratio to raw', 'p50 ms', 'p99 ms', 'errors', 'CPU µs a reading: machine', 'API process'],
        [
          ['raw `pg` 500-row INSERT, pool 10, 50 in flight', Math.round(rb.rowsPerSec), 1, '', rb.p99, 0, rb.machineUs, ''],
          [
            '`POST /sessions/:id/vitals/batch`',
            Math.round(b.rps * BATCH),
            ratio(b.rps * BATCH, rb.rowsPerSec),
            b.p50,
            b.p99,
            b.errors,
            b.machineUs,
            b.apiUs,
          ],
        ],
      ),
      '',
      'Goal: ratio ≥ 0.50.',
      '',
      'CPU µs a reading: the busy time of the whole machine during the run (the API, PostgreSQL and the load generator share its cores) and of the API process alone, over the readings stored; with every core busy, readings/s cannot exceed cores × 1,000,000 ÷ the machine figure.',
    ].join('\n');
  } finally {
    await stack.close();
  }
}

/**
 * One reading per POST again, on two API processes of the same database at once (25 connections
 * each, each on half of the sessions): the rate is the sum, the percentiles the worse of the two.
 */
async function twoProcesses(stack: BenchStack, ids: string[], headers: Record<string, string>): Promise<Latency> {
  const second = await anotherApi(stack);
  try {
    const half = ids.length / 2;
    const run = () =>
      Promise.all([
        load({ url: stack.url, connections: 25, headers, requests: ingestRequests(ids.slice(0, half), 1) }),
        load({ url: second.url, connections: 25, headers, requests: ingestRequests(ids.slice(half), 1) }),
      ]).then(([a, b]) => ({
        ...a,
        requests: a.requests + b.requests,
        errors: a.errors + b.errors,
        rps: a.rps + b.rps,
        p50: Math.max(a.p50, b.p50),
        p95: Math.max(a.p95, b.p95),
        p99: Math.max(a.p99, b.p99),
      }));
    await run();
    const runs: Latency[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run());
    return medianOf(runs);
  } finally {
    await second.close();
  }
}

const ratio = (x: number, base: number) => Math.round((x / base) * 100) / 100;

/** CPU µs per reading a run took: the whole machine's, the API process's. */
interface Cost {
  machineUs: number;
  apiUs: number;
}

async function alertCount(stack: { db: import('pg').Pool }): Promise<number> {
  const { rows } = await stack.db.query<{ n: string }>(`SELECT count(*) n FROM alert_readings`);
  return Number(rows[0].n);
}
