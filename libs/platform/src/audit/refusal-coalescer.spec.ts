import { RefusalCoalescer } from './refusal-coalescer.js';

const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 8, 0, seconds));

describe('refused tokens are coalesced per key and window', () => {
  it('writes the first of a window, counts the rest, and sums them up when the window ends', () => {
    const c = new RefusalCoalescer<string>(60_000, 10);
    expect(c.admit('bad_signature', '10.0.0.1', at(0), 'r1')).toEqual({ write: true, ended: [] });
    expect(c.admit('bad_signature', '10.0.0.1', at(5), 'r2')).toEqual({ write: false, ended: [] });
    expect(c.admit('bad_signature', '10.0.0.1', at(30), 'r3')).toEqual({ write: false, ended: [] });
    expect(c.drain(at(59))).toEqual([]);
    expect(c.drain(at(60))).toEqual([{ first: 'r1', repeated: 2, since: at(0), until: at(30), overflow: false }]);
    expect(c.size).toBe(0);
  });

  it('another address or another reason is another key', () => {
    const c = new RefusalCoalescer<string>(60_000, 10);
    expect(c.admit('bad_signature', '10.0.0.1', at(0), 'a').write).toBe(true);
    expect(c.admit('bad_signature', '10.0.0.2', at(1), 'b').write).toBe(true);
    expect(c.admit('expired', '10.0.0.1', at(2), 'c').write).toBe(true);
  });

  it('a refusal after the window opens a new one, handing back the summary of the old', () => {
    const c = new RefusalCoalescer<string>(60_000, 10);
    c.admit('alg_none', 'x', at(0), 'r1');
    c.admit('alg_none', 'x', at(10), 'r2');
    expect(c.admit('alg_none', 'x', at(61), 'r3')).toEqual({
      write: true,
      ended: [{ first: 'r1', repeated: 1, since: at(0), until: at(10), overflow: false }],
    });
    expect(c.owing).toBe(0);
  });

  it('a window without repeats ends without a summary', () => {
    const c = new RefusalCoalescer<string>(60_000, 10);
    c.admit('expired', 'x', at(0), 'r1');
    expect(c.drain(at(120))).toEqual([]);
    expect(c.size).toBe(0);
  });

  it('past the window cap, refusals from new addresses fold into one catch-all window per group', () => {
    const c = new RefusalCoalescer<string>(60_000, 2);
    c.admit('bad_signature', 'a', at(0), 'a');
    c.admit('bad_signature', 'b', at(0), 'b');
    expect(c.admit('bad_signature', 'c', at(1), 'c').write).toBe(true);
    for (let i = 0; i < 1000; i++) expect(c.admit('bad_signature', `addr-${i}`, at(2), `x${i}`).write).toBe(false);
    expect(c.size).toBe(3);
    expect(c.drain()).toEqual([{ first: 'c', repeated: 1000, since: at(1), until: at(2), overflow: true }]);
  });

  it('drain without a time closes every window (shutdown)', () => {
    const c = new RefusalCoalescer<string>(60_000, 10);
    c.admit('expired', 'x', at(0), 'r1');
    c.admit('expired', 'x', at(1), 'r2');
    expect(c.owing).toBe(1);
    expect(c.drain()).toEqual([{ first: 'r1', repeated: 1, since: at(0), until: at(1), overflow: false }]);
  });
});
