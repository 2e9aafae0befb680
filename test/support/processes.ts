import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../libs/platform/src/index.js';

export interface VigilProcess {
  child: ChildProcess;
  /** What the process printed, for a failing test's message. */
  output(): string;
  /** Sends `signal` (SIGKILL: no clean-up of any kind) and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = process.cwd(); // Jest runs from the repository root

/**
 * Runs a Vigil entry point from the TypeScript sources (ts-register.mjs) as a real process, so a
 * test can SIGKILL it mid-work. Resolves once `http://127.0.0.1:<port>/health` answers.
 */
async function spawnVigil(what: string, entry: string, env: Record<string, string>, port: number): Promise<VigilProcess> {
  const child = spawn(process.execPath, ['--conditions=vigil-src', '--import', './test/support/ts-register.mjs', entry], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env, HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout.on('data', (b: Buffer) => (printed += b.toString()));
  child.stderr.on('data', (b: Buffer) => (printed += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: VigilProcess = {
    child,
    output: () => printed,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ${what} exited during start-up:\n${printed}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return proc;
    await new Promise((r) => setTimeout(r, 200));
  }
  await proc.kill();
  throw new Error(`the ${what} did not become healthy within 60 s:\n${printed}`);
}

/** The stand-alone worker (`apps/worker/src/main.ts`) as a real process. */
export async function spawnWorker(env: Record<string, string>): Promise<VigilProcess> {
  const port = await freePort();
  return spawnVigil('worker', 'apps/worker/src/main.ts', { ...env, WORKER_HEALTH_PORT: String(port) }, port);
}

/** The API (`apps/api/src/main.ts`) as a real process listening on `url`. */
export async function spawnApi(env: Record<string, string>): Promise<VigilProcess & { url: string }> {
  const port = await freePort();
  const proc = await spawnVigil('API', 'apps/api/src/main.ts', { ...env, PORT: String(port) }, port);
  return Object.assign(proc, { url: `http://127.0.0.1:${port}` });
}
