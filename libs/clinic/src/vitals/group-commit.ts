/** What one submission of a group came to: its result, or the error it alone is answered with. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent submissions share one unit of work. Submissions are spread over
 * `lanes` by key (a session), each lane running one group at a time: while it runs, new
 * submissions of the lane wait, and the next group takes every waiting one (up to `maxWeight`).
 * Two groups running at once never share a key, so they never wait on each other's row locks.
 * A lone submission on a quiet process starts at once: there is no timer, groups grow with load.
 *
 * `run` answers each submission of a group with an outcome; a submission refused on its own
 * (a validation error, say) gets its error while the others are stored. If `run` throws, the
 * group's unit of work failed as a whole (and was rolled back): each submission is then run
 * alone, so one submission never fails another.
 */
export class GroupCommitter<T, R> {
  private readonly lanes: Array<{ waiting: Array<Waiting<T, R>>; running: boolean }>;

  constructor(
    private readonly run: (items: T[]) => Promise<Array<Outcome<R>>>,
    opts: { lanes: number; maxWeight: number; key: (item: T) => string; weight?: (item: T) => number },
  ) {
    this.lanes = Array.from({ length: Math.max(1, opts.lanes) }, () => ({ waiting: [], running: false }));
    this.maxWeight = opts.maxWeight;
    this.key = opts.key;
    this.weight = opts.weight ?? (() => 1);
  }

  private readonly maxWeight: number;
  private readonly key: (item: T) => string;
  private readonly weight: (item: T) => number;

  submit(item: T): Promise<R> {
    const lane = this.lanes[laneOf(this.key(item), this.lanes.length)];
    return new Promise<R>((resolve, reject) => {
      lane.waiting.push({ item, resolve, reject });
      this.drain(lane);
    });
  }

  /** Submissions waiting and groups running, for tests and metrics. */
  get load(): { waiting: number; running: number } {
    return {
      waiting: this.lanes.reduce((n, l) => n + l.waiting.length, 0),
      running: this.lanes.filter((l) => l.running).length,
    };
  }

  private drain(lane: { waiting: Array<Waiting<T, R>>; running: boolean }): void {
    if (lane.running || lane.waiting.length === 0) return;
    let weight = 0;
    let n = 0;
    while (n < lane.waiting.length && (n === 0 || weight + this.weight(lane.waiting[n].item) <= this.maxWeight)) {
      weight += this.weight(lane.waiting[n].item);
      n++;
    }
    const group = lane.waiting.splice(0, n);
    lane.running = true;
    void this.runGroup(group).finally(() => {
      lane.running = false;
      this.drain(lane);
    });
  }

  private async runGroup(group: Array<Waiting<T, R>>): Promise<void> {
    let outcomes: Array<Outcome<R>>;
    try {
      outcomes = await this.run(group.map((g) => g.item));
    } catch (err) {
      if (group.length === 1) return group[0].reject(err);
      for (const g of group) {
        await this.run([g.item]).then(
          ([o]) => settle(g, o),
          (e: unknown) => g.reject(e),
        );
      }
      return;
    }
    group.forEach((g, i) => settle(g, outcomes[i]));
  }
}

/** A stable lane for a key (FNV-1a). */
export function laneOf(key: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

function settle<T, R>(w: Waiting<T, R>, o: Outcome<R>): void {
  if (o.ok) w.resolve(o.value);
  else w.reject(o.error);
}
