/** Refusals of one key counted, not written, after the first of a window. */
export interface CoalescedRun<T> {
  /** The refusal whose row opened the window. */
  first: T;
  /** How many identical refusals followed it within the window. */
  repeated: number;
  since: Date;
  until: Date;
  /** Counted under the group's catch-all key: the addresses and subjects differ. */
  overflow: boolean;
}

interface Window<T> {
  first: T;
  opened: Date;
  repeated: number;
  last: Date;
  overflow: boolean;
}

/**
 * Bounds what a flood of refused tokens can write: per key (`group` + `detail`, e.g. reason +
 * client address), the first refusal of a window is written and the rest are only counted, one
 * summary row per window. At most `maxKeys` windows are open; past that, refusals fold into one
 * catch-all window per group (a handful of groups), so memory stays bounded under a flood from
 * many addresses too. Pure and clock-free: the caller passes the time.
 */
export class RefusalCoalescer<T> {
  private readonly windows = new Map<string, Window<T>>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** Whether this refusal's row is written, and the runs that ended on the way (to be written first). */
  admit(group: string, detail: string, now: Date, refusal: T): { write: boolean; ended: Array<CoalescedRun<T>> } {
    const ended: Array<CoalescedRun<T>> = [];
    let key = `${group}\u0000${detail}`;
    const close = (k: string) => {
      const run = this.close(k);
      if (run) ended.push(run);
    };
    if (this.expired(key, now)) close(key);
    if (!this.windows.has(key) && this.windows.size >= this.maxKeys) {
      ended.push(...this.drain(now));
      if (this.windows.size >= this.maxKeys) key = `${group}\u0000*`;
      if (this.expired(key, now)) close(key);
    }
    const open = this.windows.get(key);
    if (open) {
      open.repeated += 1;
      open.last = now;
      return { write: false, ended };
    }
    this.windows.set(key, { first: refusal, opened: now, repeated: 0, last: now, overflow: key.endsWith('\u0000*') });
    return { write: true, ended };
  }

  /** Closes the windows that have ended by `now`, or every window without `now` (shutdown). */
  drain(now?: Date): Array<CoalescedRun<T>> {
    const ended: Array<CoalescedRun<T>> = [];
    for (const key of [...this.windows.keys()]) {
      if (now && !this.expired(key, now)) continue;
      const run = this.close(key);
      if (run) ended.push(run);
    }
    return ended;
  }

  /** Open windows that have counted a repeat, i.e. still owe a summary row. */
  get owing(): number {
    let n = 0;
    for (const w of this.windows.values()) if (w.repeated > 0) n += 1;
    return n;
  }

  get size(): number {
    return this.windows.size;
  }

  private expired(key: string, now: Date): boolean {
    const w = this.windows.get(key);
    return !!w && now.getTime() - w.opened.getTime() >= this.windowMs;
  }

  private close(key: string): CoalescedRun<T> | undefined {
    const w = this.windows.get(key);
    this.windows.delete(key);
    if (!w || w.repeated === 0) return undefined;
    return { first: w.first, repeated: w.repeated, since: w.opened, until: w.last, overflow: w.overflow };
  }
}
