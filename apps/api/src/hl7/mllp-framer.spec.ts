import { CR, FS, frame, MllpFramer, VT } from './mllp-framer.js';

const text = (frames: Buffer[]) => frames.map((f) => f.toString('utf8'));

describe('MLLP framing', () => {
  it.each([
    ['one frame in one read', [frame('MSH|A')], ['MSH|A']],
    ['two frames in one read', [Buffer.concat([frame('MSH|A'), frame('MSH|B')])], ['MSH|A', 'MSH|B']],
    ['one frame split across reads', [frame('MSH|ABCDEF').subarray(0, 4), frame('MSH|ABCDEF').subarray(4)], ['MSH|ABCDEF']],
    ['split between FS and CR', [frame('MSH|A').subarray(0, 7), Buffer.from([CR])], ['MSH|A']],
    ['split right after VT', [Buffer.from([VT]), Buffer.from('MSH|A'), Buffer.from([FS, CR])], ['MSH|A']],
    [
      'a frame and the start of the next',
      [Buffer.concat([frame('MSH|A'), frame('MSH|B').subarray(0, 3)]), frame('MSH|B').subarray(3)],
      ['MSH|A', 'MSH|B'],
    ],
    [
      'noise before the start and no CR after FS',
      [Buffer.concat([Buffer.from('\r\n junk'), Buffer.from([VT]), Buffer.from('MSH|A'), Buffer.from([FS])])],
      ['MSH|A'],
    ],
    ['byte by byte', [...frame('MSH|A\rPID|1')].map((b) => Buffer.from([b])), ['MSH|A\rPID|1']],
    [
      'multi-byte characters split across reads',
      [frame('PID|||Núñez').subarray(0, 13), frame('PID|||Núñez').subarray(13)],
      ['PID|||Núñez'],
    ],
  ])('%s', (_name, reads, expected) => {
    const framer = new MllpFramer();
    const out = reads.flatMap((r) => framer.push(r).frames);
    expect(text(out)).toEqual(expected);
    expect(framer.pending).toBe(0);
  });

  it('a frame over the cap overflows, across reads too; frames up to it do not', () => {
    expect(new MllpFramer(10).push(frame('0123456789')).overflow).toBe(false);
    const framer = new MllpFramer(10);
    expect(framer.push(Buffer.concat([Buffer.from([VT]), Buffer.from('012345')])).overflow).toBe(false);
    expect(framer.push(Buffer.from('67890')).overflow).toBe(true);
  });

  it('noise outside any frame is never buffered', () => {
    const framer = new MllpFramer(10);
    expect(framer.push(Buffer.alloc(1000, 0x41))).toEqual({ frames: [], overflow: false });
    expect(framer.pending).toBe(0);
  });
});
