import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the crowd's streams received: how many streams saw each sequence of event ids, and how many have ended. */
export interface CrowdReport {
  sequences: Record<string, number>;
  ended: number;
}

/**
 * Many stream clients in a process of their own (test/support/stream-crowd-child.mjs), so that a test of
 * a thousand open streams does not run their parsing on the API's event loop.
 */
export class StreamCrowd {
  private constructor(private readonly child: ChildProcess) {}

  static start(): StreamCrowd {
    return new StreamCrowd(fork(fileURLToPath(new URL('./stream-crowd-child.mjs', import.meta.url)), { stdio: 'inherit' }));
  }

  /** Opens `count` streams (100 at a time); the HTTP status each was answered with. */
  async open(url: string, token: string, headers: Record<string, string>, count: number): Promise<number[]> {
    return (await this.ask<{ opened: number[] }>({ open: { url, token, headers, count } }, 'opened')).opened;
  }

  async report(): Promise<CrowdReport> {
    return (await this.ask<{ report: CrowdReport }>({ report: true }, 'report')).report;
  }

  close(): void {
    if (this.child.connected) this.child.send({ close: true });
  }

  private ask<T>(msg: object, key: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the stream crowd exited (${code})`));
      const onMessage = (answer: Record<string, unknown>) => {
        if (!(key in answer)) return;
        this.child.off('message', onMessage).off('exit', onExit);
        resolve(answer as T);
      };
      this.child.on('message', onMessage).once('exit', onExit);
      this.child.send(msg);
    });
  }
}
