import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createScratchDatabase } from '../apps/cli/src/scratch-database.js';
import { freePort, hashPassword } from '../libs/platform/src/index.js';

/**
 * The real stack for a benchmark: the built API (and, when asked, the worker) as processes of
 * their own, as `npm start` runs them, on a scratch database of the PostgreSQL server at
 * BENCH_DATABASE_URL and the Redis at BENCH_REDIS_URL. The benchmark process only seeds, loads
 * and measures, so its own work does not share the API's event loop.
 */
export interface BenchStack {
  url: string;
  /** The environment the API and worker run with. */
  env: Record<string, string>;
  /** The scratch database, for seeding and for counting what was stored. */
  db: pg.Pool;
  databaseUrl: string;
  api: ChildProcess;
  worker: ChildProcess | null;
  clinicId: string;
  close(): Promise<void>;
}

const API_SCRIPT = 'dist/apps/api/src/main.js';

export const SERVER_URL =
  process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ADMIN_PASSWORD = 'bench administrator password 0123';
const STAFF_PASSWORD = 'bench staff password 0123';

/** The Node flags `npm run start:api` starts the API with (its heap's size), so the bench runs the API as it is run. */
function apiStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts['start:api'].split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
}

function start(script: string, env: Record<string, string>, healthUrl: string): Promise<ChildProcess> {
  // BENCH_NODE_ARGS: flags for the API and worker processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = [
    ...(script === API_SCRIPT ? apiStartFlags() : []),
    ...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
  ];
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let printed = '';
  child.stderr?.on('data', (b: Buffer) => {
    if (printed.length < 100_000) printed += b.toString();
    if (process.env['BENCH_VERBOSE']) process.stderr.write(b);
  });
  return (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${script} exited during start-up:\n${printed}`);
      const ok = await fetch(healthUrl)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return child;
      await sleep(200);
    }
    child.kill('SIGKILL');
    throw new Error(`${script} did not become ready within 60 s:\n${printed}`);
  })();
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

export async function startStack(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<BenchStack> {
  const scratch = await createScratchDatabase(SERVER_URL, 'vigil_bench');
  const dataDir = await mkdtemp(join(tmpdir(), 'vigil-bench-'));
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: scratch.url,
    REDIS_URL,
    QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: 'vigil-bench-secret-0123456789abcdef0123456789',
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    VIGIL_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    LOG_REQUESTS: 'false',
    WORKER_EMBEDDED: 'false',
    LOGIN_RATE_LIMIT_PER_MIN: '100000',
    ...opts.env,
  };
  const url = `http://127.0.0.1:${port}`;
  let api: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  const db = new pg.Pool({ connectionString: scratch.url, max: 10 });
  const close = async () => {
    await stop(worker);
    await stop(api);
    await db.end();
    // BENCH_KEEP_DATABASE=1 keeps the scratch database for a look with psql (its name is printed).
    if (process.env['BENCH_KEEP_DATABASE']) console.error(`kept database ${new URL(scratch.url).pathname.slice(1)}`);
    else await scratch.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    api = await start(API_SCRIPT, env, `${url}/health/ready`);
    if (opts.worker) {
      const workerPort = await freePort();
      worker = await start(
        'dist/apps/worker/src/main.js',
        { ...env, WORKER_HEALTH_PORT: String(workerPort) },
        `http://127.0.0.1:${workerPort}/health`,
      );
    }
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM clinics LIMIT 1`);
    return { url, env, db, databaseUrl: scratch.url, api, worker, clinicId: rows[0].id, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Another API process on the stack's database and queues, on a port of its own: what a second
 * process behind a load balancer gives (the processes share nothing but PostgreSQL and Redis).
 */
export async function anotherApi(stack: BenchStack): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await start(API_SCRIPT, { ...stack.env, PORT: String(port) }, `${url}/health/ready`);
  return { url, close: () => stop(child) };
}

/** A user of `role` in the stack's clinic, logged in through the API. */
export async function staff(stack: BenchStack, role: 'nurse' | 'anesthesiologist' | 'admin'): Promise<{ userId: string; token: string }> {
  const email = `${role}-${randomBytes(4).toString('hex')}@bench.vigil`;
  const { rows } = await stack.db.query<{ id: string }>(
    `INSERT INTO users (clinic_id, email, name, role, password_hash) VALUES ($1, $2, 'Bench', $3, $4) RETURNING id`,
    [stack.clinicId, email, role, await hashPassword(STAFF_PASSWORD)],
  );
  const res = await fetch(`${stack.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: STAFF_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { accessToken: string };
  return { userId: rows[0].id, token: body.accessToken };
}

/**
 * `count` patients in the chairs: sessions dosing for 50 minutes on the IV ketamine protocol, each
 * with its pre-dose baseline reading (systolic 120), as a clinic's morning looks.
 */
export async function activeSessions(stack: BenchStack, nurseId: string, count: number, label = 'A'): Promise<string[]> {
  const { rows: protocol } = await stack.db.query<{ id: string }>(
    `SELECT id FROM protocol_versions WHERE key = 'ketamine-iv-standard' AND clinic_id IS NULL`,
  );
  const { rows } = await stack.db.query<{ id: string }>(
    `WITH p AS (
       INSERT INTO patients (clinic_id, mrn, first_name, last_name, date_of_birth, search_text)
       SELECT $1, $4 || '-' || g, 'Pat', 'Bench ' || g, '1980-01-01', 'pat bench ' || g FROM generate_series(1, $3) g RETURNING id)
     INSERT INTO sessions (clinic_id, patient_id, protocol_key, protocol_version_id, status, checked_in_at, dosing_started_at, dose_mg, rate_ml_per_h)
     SELECT $1, p.id, 'ketamine-iv-standard', $2, 'dosing', now() - interval '60 minutes', now() - interval '50 minutes', 35, 52.5 FROM p
     RETURNING id`,
    [stack.clinicId, protocol[0].id, count, `${label}${randomBytes(2).toString('hex')}`],
  );
  const ids = rows.map((r) => r.id);
  await stack.db.query(
    `WITH b AS (
       INSERT INTO vital_readings (clinic_id, session_id, measured_at, source, phase, systolic, diastolic, heart_rate, spo2, moaas, recorded_by)
       SELECT $1, s, now() - interval '55 minutes', 'manual', 'pre-dose', 120, 78, 72, 98, 5, $2 FROM unnest($3::uuid[]) s
       RETURNING id, session_id)
     UPDATE sessions SET baseline_reading_id = b.id FROM b WHERE sessions.id = b.session_id`,
    [stack.clinicId, nurseId, ids],
  );
  return ids;
}

/**
 * One reading as a bedside monitor sends it, measured now (a session's readings at least one
 * millisecond apart, so none is a resend). A breaching one has a systolic of 185 (critical).
 */
export function deviceReading(sessionId: string, breach = false): Record<string, unknown> {
  const at = Math.max((lastMeasured.get(sessionId) ?? 0) + 1, Date.now() - 1000);
  lastMeasured.set(sessionId, at);
  return {
    measuredAt: new Date(at).toISOString(),
    systolic: breach ? 185 : 124,
    diastolic: 80,
    heartRate: 76,
    spo2: 98,
    moaas: 5,
    source: 'device',
    deviceId: 'monitor-1',
  };
}
const lastMeasured = new Map<string, number>();

/** Every tenth reading breaches (the ingest goals' mix). */
export const tenthBreaches = (n: number) => n % 10 === 0;

export interface Latency {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export async function load(opts: autocannon.Options): Promise<Latency> {
  const r = await autocannon({
    connections: Number(process.env['BENCH_CONNECTIONS'] ?? 10),
    duration: SECONDS,
    ...opts,
  });
  await sleep(300); // let the last requests finish
  // autocannon reports p90 and p97.5; p95 is read from its histogram.
  const p95 = (r.latency as unknown as Record<string, number>)['p95'] ?? r.latency.p97_5;
  return {
    requests: r.requests.total,
    errors: r.errors + r.non2xx + r.timeouts,
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p95,
    p99: r.latency.p99,
  };
}

export const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
export const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The median of each field over `runs`. */
export function medianOf<T extends object>(runs: T[]): T {
  const out: Record<string, number> = {};
  for (const k of Object.keys(runs[0])) out[k] = median(runs.map((r) => (r as Record<string, number>)[k]));
  return out as T;
}

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Latency percentile of a list of samples in ms. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(2)) : v);
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
  ].join('\n');
}

/**
 * A minimal Server-Sent Events client on node:http (undici's fetch streams cost the benchmark
 * process more CPU per event than the server spends sending it, which a thousand streams showed).
 */
export function subscribe(
  url: string,
  token: string,
  onEvent: (type: string, data: { sessionId: string; id?: string }) => void,
): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: STREAM_AGENT, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`stream answered ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type && data) onEvent(type, JSON.parse(data) as { sessionId: string; id?: string });
          }
        });
        res.on('error', () => undefined);
        resolve({ close: () => req.destroy() });
      },
    );
    req.on('error', reject);
  });
}
const STREAM_AGENT = new http.Agent({ keepAlive: false, maxSockets: Infinity });
