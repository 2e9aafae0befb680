import { GroupCommitter, type Outcome } from './group-commit.js';

/** A unit of work the test releases by hand, recording each group it was given. */
function harness(opts: { slots?: number; maxWeight?: number; failWhole?: (items: string[]) => boolean } = {}) {
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
    { slots: opts.slots ?? 1, maxWeight: opts.maxWeight ?? 100, key: (i) => i.replace(/^bad-/, '').replace(/#.*/, '') },
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

  it('starts a submission at once when a slot is free and its session is not being stored, whatever else runs', async () => {
    const h = harness({ slots: 3 });
    const all = ['s1', 's2'].map((k) => h.committer.submit(k));
    expect(h.groups).toEqual([['s1'], ['s2']]);
    all.push(h.committer.submit('s3'));
    expect(h.groups).toEqual([['s1'], ['s2'], ['s3']]);
    // No slot left: s4 waits for the first group to end, whichever it is.
    all.push(h.committer.submit('s4'));
    expect(h.committer.load).toEqual({ waiting: 1, running: 3 });
    await h.releaseAll();
    await Promise.all(all);
    expect(h.groups).toEqual([['s1'], ['s2'], ['s3'], ['s4']]);
  });

  it('never stores one session in two groups at once, and stores its submissions in the order they came', async () => {
    const h = harness({ slots: 4 });
    const order = ['s1#1', 's2#1', 's1#2', 's3#1', 's1#3', 's2#2'];
    const all = order.map((k) => h.committer.submit(k));
    // s1 and s2 are running: their later submissions wait, s3 starts beside them.
    expect(h.groups).toEqual([['s1#1'], ['s2#1'], ['s3#1']]);
    await h.releaseAll();
    await Promise.all(all);
    // s1 ends first: its two waiting submissions go together; s2's follows when s2 ends.
    expect(h.groups.slice(3)).toEqual([['s1#2', 's1#3'], ['s2#2']]);
  });

  it('keeps a session that did not fit behind, so its later submissions do not overtake it', async () => {
    const h = harness({ slots: 1, maxWeight: 2 });
    const all = ['s0', 's1#1', 's2#1', 's1#2', 's3#1'].map((k) => h.committer.submit(k));
    await h.releaseAll();
    await Promise.all(all);
    // The second group is full after s1#1 and s2#1; s1#2 and s3#1 follow in the third.
    expect(h.groups).toEqual([['s0'], ['s1#1', 's2#1'], ['s1#2', 's3#1']]);
  });
});
