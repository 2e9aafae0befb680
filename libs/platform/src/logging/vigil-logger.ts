import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { VigilConfig } from '../config/vigil-config.js';
import { requestContext } from '../context/request-context.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's console logger, one JSON object a line, with the request id of the work in hand. */
export class VigilLogger extends ConsoleLogger {
  constructor(config: Pick<VigilConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>) {
    super({
      json: config.LOG_FORMAT === 'json',
      colors: config.LOG_FORMAT === 'pretty' && process.stdout.isTTY,
      logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
    });
  }

  protected override getJsonLogObject(message: unknown, options: Parameters<ConsoleLogger['getJsonLogObject']>[1]) {
    const base = super.getJsonLogObject(message, options);
    const ctx = requestContext.current();
    if (ctx) {
      base['requestId'] = ctx.requestId;
      if (ctx.actor) base['userId'] = ctx.actor.userId;
    }
    return base;
  }
}
