import type { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { VigilConfig } from './config/vigil-config.js';

/** The validated configuration, or a message naming every bad variable and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(program: string): VigilConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${program} cannot start. ${err.message}\nSee .env.example for every variable.\n`);
    process.exit(78);
  }
}

/** Errors a closing pool raises when an embedded PostgreSQL has already been stopped by Ctrl-C. */
const closingNoise = (err: Error & { code?: string }) =>
  ['57P01', 'ECONNREFUSED', 'ECONNRESET'].includes(err.code ?? '') || /Connection terminated/.test(err.message);

/**
 * Stops the process cleanly on SIGINT or SIGTERM: `close` runs once (finish in-flight requests and
 * jobs, close pools, stop the embedded database), each failure is logged, and the process exits.
 * Installed before start-up begins, so a signal during migrations still stops what has started.
 */
export function onStopSignal(log: Logger, timeoutMs: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // A terminal's Ctrl-C also reaches an embedded PostgreSQL, which closes its connections at once.
    process.on('uncaughtException', (err: Error & { code?: string }) => {
      if (!closingNoise(err)) log.error(`while stopping: ${err.message}`, err.stack);
    });
    log.log(`${signal}: finishing in-flight requests and jobs, then stopping`);
    setTimeout(() => {
      log.error(`still stopping after ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    let code = 0;
    try {
      await close();
    } catch (err) {
      code = 1;
      log.error(`while stopping: ${(err as Error).message}`, (err as Error).stack);
    }
    log.log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
