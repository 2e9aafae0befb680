import { GroupCommitter, laneOf, type Outcome } from './group-commit.js';

/** A unit of work the test releases by hand, recording each group it was given. */
function harness(opts: { lanes?: number; maxWeight?: number; failWhole?: (items: string[]) => boolean } = {}) {
  const groups: string[][] = [];
  const pending: Array<() => void> = [];
  const committer = new GroupCommitter<string, string>(
    async (items) => {
      groups.push(items);
      await new Promise<void>((release) => pending.push(release));
      if (opts.failWhole?.(items)) throw new Error(`group ${items.join(',')} failed`);
      return items.map((i): Outcome<string> =>
        i.startsWith('bad') ? { ok: false, error: new Error(`${i} refused`) } : { ok: true, value: `stored ${i}` },
      );
    },
    { lanes: opts.lanes ?? 1, maxWeight: opts.maxWeight ?? 100, key: (i) => i.replace(/^bad-/, '') },
  );
  const releaseAll = async () => {
    while (pending.length) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { committer, groups, releaseAll };
}

describe('group commit of concurrent submissions', () => {
  it('runs a lone submission at once, on its own', async () => {
    const h = harness();
    const a = h.committer.submit('a');
    expect(h.groups).toEqual([['a']]);
    await h.releaseAll();
    await expect(a).resolves.toBe('stored a');
  });

  it('gathers what arrives while a group runs into the next group', async () => {
    const h = harness();
    const all = ['a', 'b', 'c', 'd'].map((i) => h.committer.submit(i));
    expect(h.groups).toEqual([['a']]);
    expect(h.committer.load).toEqual({ waiting: 3, running: 1 });
    await h.releaseAll();
    await expect(Promise.all(all)).resolves.toEqual(['stored a', 'stored b', 'stored c', 'stored d']);
    expect(h.groups).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('answers a refused submission with its own error and stores the others of its group', async () => {
    const h = harness();
    const first = h.committer.submit('a');
    const rest = ['b', 'bad-c', 'd'].map((i) => h.committer.submit(i).catch((e: Error) => e.message));
    await h.releaseAll();
    await first;
    await expect(Promise.all(rest)).resolves.toEqual(['stored b', 'bad-c refused', 'stored d']);
  });

  it('runs each submission alone when the group fails as a whole', async () => {
    // The group fails while it holds "poison"; alone, the others succeed and "poison" gets the error.
    const h = harness({ failWhole: (items) => items.includes('poison') });
    const first = h.committer.submit('a');
    const rest = ['b', 'poison', 'c'].map((i) => h.committer.submit(i).catch((e: Error) => e.message));
    await h.releaseAll();
    await first;
    await expect(Promise.all(rest)).resolves.toEqual(['stored b', 'group poison failed', 'stored c']);
    expect(h.groups).toEqual([['a'], ['b', 'poison', 'c'], ['b'], ['poison'], ['c']]);
  });

  it('never puts more than the maximum weight in one group', async () => {
    const h = harness({ maxWeight: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((i) => h.committer.submit(i));
    await h.releaseAll();
    await Promise.all(all);
    expect(h.groups).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('keeps one key in one lane and runs different lanes side by side', async () => {
    const lanes = 4;
    const keys = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];
    const h = harness({ lanes });
    const all = keys.map((k) => h.committer.submit(k));
    const distinctLanes = new Set(keys.map((k) => laneOf(k, lanes))).size;
    expect(h.committer.load.running).toBe(distinctLanes);
    expect(h.groups).toHaveLength(distinctLanes);
    await h.releaseAll();
    await Promise.all(all);
    // Every group holds keys of one lane only.
    for (const g of h.groups) expect(new Set(g.map((k) => laneOf(k, lanes))).size).toBe(1);
    expect(laneOf('s1', lanes)).toBe(laneOf('s1', lanes));
  });
});
