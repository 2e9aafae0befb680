import autocannon from 'autocannon';
import { createApiApp } from '../apps/api/src/api-app.js';
import { createScratchDatabase } from '../apps/cli/src/scratch-database.js';
import { ENTITIES } from '../libs/clinic/src/schema/index.js';
import { hashPassword, loadConfig, startRuntime, type VigilRuntime } from '../libs/platform/src/index.js';
import { MIGRATIONS } from '../migrations/index.js';

export interface BenchStack {
  runtime: VigilRuntime;
  url: string;
  close(): Promise<void>;
}

/** The real API on a database of its own (dropped afterwards), on PostgreSQL at BENCH_DATABASE_URL. */
export async function startStack(): Promise<BenchStack> {
  const server = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = await createScratchDatabase(server, 'vigil_bench');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: scratch.url,
    JWT_SECRET: 'vigil-bench-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'error',
    LOG_REQUESTS: 'false',
    WORKER_EMBEDDED: 'false',
    LOGIN_RATE_LIMIT_PER_MIN: '100000',
  });
  const runtime = await startRuntime(config, { entities: ENTITIES, migrations: MIGRATIONS });
  const app = await createApiApp(runtime, { worker: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    runtime,
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      await runtime.close();
      await scratch.drop();
    },
  };
}

/** A clinic with one user of `role`, logged in; returns the clinic id, user id and access token. */
export async function staff(
  stack: BenchStack,
  role: 'nurse' | 'anesthesiologist',
): Promise<{ clinicId: string; userId: string; token: string }> {
  const ds = stack.runtime.dataSource;
  const [clinic] = await ds.query<{ id: string }[]>(`INSERT INTO clinics (name, time_zone) VALUES ('Bench clinic', 'UTC') RETURNING id`);
  const email = `${role}-${Date.now()}@bench.vigil`;
  const [user] = await ds.query<{ id: string }[]>(
    `INSERT INTO users (clinic_id, email, name, role, password_hash) VALUES ($1, $2, 'Bench', $3, $4) RETURNING id`,
    [clinic.id, email, role, await hashPassword('bench password 0123')],
  );
  const res = await fetch(`${stack.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'bench password 0123' }),
  });
  const body = (await res.json()) as { accessToken: string };
  return { clinicId: clinic.id, userId: user.id, token: body.accessToken };
}

export interface Latency {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
}

export async function load(opts: autocannon.Options): Promise<Latency> {
  const r = await autocannon({
    connections: Number(process.env['BENCH_CONNECTIONS'] ?? 10),
    duration: Number(process.env['BENCH_SECONDS'] ?? 10),
    ...opts,
  });
  await new Promise((done) => setTimeout(done, 500)); // let the last requests finish
  return {
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
