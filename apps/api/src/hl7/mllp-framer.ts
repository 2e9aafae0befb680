/** MLLP framing: <VT> message <FS><CR>. */
export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;
/** The largest frame Vigil buffers: a sender going past it is cut off. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * One socket's bytes into whole frames, whatever the reads: a frame split across reads waits for
 * its end, several frames in one read all come out, in order. Bytes outside a frame (the CR after
 * FS, line noise before VT) are dropped. `push` answers the frames completed by this read, and
 * `overflow` when the frame being received passes the cap.
 */
export class MllpFramer {
  private chunks: Buffer[] = [];
  private size = 0;
  private inFrame = false;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(data: Buffer): { frames: Buffer[]; overflow: boolean } {
    const frames: Buffer[] = [];
    let rest = data;
    while (rest.length > 0) {
      if (!this.inFrame) {
        const start = rest.indexOf(VT);
        if (start < 0) return { frames, overflow: false };
        rest = rest.subarray(start + 1);
        this.inFrame = true;
      }
      const end = rest.indexOf(FS);
      const body = end < 0 ? rest : rest.subarray(0, end);
      this.chunks.push(body);
      this.size += body.length;
      if (this.size > this.maxBytes) return { frames, overflow: true };
      if (end < 0) return { frames, overflow: false };
      frames.push(Buffer.concat(this.chunks));
      this.chunks = [];
      this.size = 0;
      this.inFrame = false;
      rest = rest.subarray(end + 1);
    }
    return { frames, overflow: false };
  }

  /** Bytes of the frame still incomplete. */
  get pending(): number {
    return this.size;
  }
}

/** A message framed for the wire. */
export const frame = (text: string): Buffer => Buffer.concat([Buffer.from([VT]), Buffer.from(text, 'utf8'), Buffer.from([FS, CR])]);
