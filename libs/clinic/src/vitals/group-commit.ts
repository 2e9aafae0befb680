/** What one submission of a group came to: its result, or the error it alone is answered with. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: concurrent submissions share one unit of work. At most `slots` groups run at once,
 * and no key (a session) is ever in two running groups, so two groups never wait on each other's
 * row locks and a key's submissions are stored in the order they came. A submission whose key is
 * not running starts at once when a slot is free; otherwise it waits, and the next group takes
 * every waiting submission whose key is not running (in arrival order, up to `maxWeight`). There is
 * no timer: a lone submission on a quiet process starts at once, and groups grow with load. A
 * reading never waits behind another session's group while a slot is free (a breaching reading
 * once did, when sessions were tied to fixed lanes).
 *
 * `run` answers each submission of a group with an outcome; a submission refused on its own
 * (a validation error, say) gets its error while the others are stored. If `run` throws, the
 * group's unit of work failed as a whole (and was rolled back): each submission is then run
 * alone, so one submission never fails another.
 */
export class GroupCommitter<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private readonly runningKeys = new Set<string>();
  private running = 0;
  private readonly slots: number;
  private readonly maxWeight: number;
  private readonly key: (item: T) => string;
  private readonly weight: (item: T) => number;

  constructor(
    private readonly run: (items: T[]) => Promise<Array<Outcome<R>>>,
    opts: { slots: number; maxWeight: number; key: (item: T) => string; weight?: (item: T) => number },
  ) {
    this.slots = Math.max(1, opts.slots);
    this.maxWeight = opts.maxWeight;
    this.key = opts.key;
    this.weight = opts.weight ?? (() => 1);
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Submissions waiting and groups running, for tests and metrics. */
  get load(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.running };
  }

  /** Starts groups while a slot is free and some waiting submission's key is not running. */
  private drain(): void {
    while (this.running < this.slots && this.waiting.length > 0) {
      const group = this.nextGroup();
      if (group.length === 0) return;
      const keys = new Set(group.map((g) => this.key(g.item)));
      for (const k of keys) this.runningKeys.add(k);
      this.running++;
      void this.runGroup(group).finally(() => {
        for (const k of keys) this.runningKeys.delete(k);
        this.running--;
        this.drain();
      });
    }
  }

  /** In arrival order, the waiting submissions of keys not running, up to the weight; the rest keep their places. */
  private nextGroup(): Array<Waiting<T, R>> {
    const group: Array<Waiting<T, R>> = [];
    const rest: Array<Waiting<T, R>> = [];
    const closed = new Set<string>();
    let weight = 0;
    for (const w of this.waiting) {
      const key = this.key(w.item);
      const fits = group.length === 0 || weight + this.weight(w.item) <= this.maxWeight;
      if (!this.runningKeys.has(key) && !closed.has(key) && fits) {
        group.push(w);
        weight += this.weight(w.item);
      } else {
        // A key left behind stays behind, so its submissions keep their order.
        closed.add(key);
        rest.push(w);
      }
    }
    this.waiting = rest;
    return group;
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

function settle<T, R>(w: Waiting<T, R>, o: Outcome<R>): void {
  if (o.ok) w.resolve(o.value);
  else w.reject(o.error);
}
