import { connect, type Socket } from 'node:net';
import { Client, Message } from 'node-hl7-client';
import { frame, MllpFramer } from '../../apps/api/src/hl7/mllp-framer.js';

/** The fields of an ACK a test looks at, by segment: `ack.MSA[1]` is the code, `ack.MSA[2]` the control id echoed. */
export interface Ack {
  text: string;
  MSH: string[];
  MSA: string[];
  ERR: string[][];
}

export function readAck(text: string): Ack {
  const segments = text
    .split('\r')
    .filter(Boolean)
    .map((s) => s.split('|'));
  const msh = segments.find((s) => s[0] === 'MSH') ?? [];
  // MSH-n is index n - 1 once split (MSH-1 is the separator itself): pad so that MSH[n] is MSH-n.
  return {
    text,
    MSH: ['MSH', '|', ...msh.slice(1)],
    MSA: segments.find((s) => s[0] === 'MSA') ?? [],
    ERR: segments.filter((s) => s[0] === 'ERR'),
  };
}

/**
 * A raw TCP peer of the listener: writes the given chunks (`gapMs` apart), collects the ACK frames it
 * gets back until `expect` of them came or `waitMs` passed, and says whether the listener closed the connection.
 */
export async function exchange(
  port: number,
  chunks: Buffer[],
  opts: { expect: number; gapMs?: number; waitMs?: number },
): Promise<{ acks: Ack[]; closed: boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const framer = new MllpFramer();
  const acks: Ack[] = [];
  let closed = false;
  socket.on('data', (d: Buffer) => acks.push(...framer.push(d).frames.map((f) => readAck(f.toString('utf8')))));
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  for (const [i, chunk] of chunks.entries()) {
    if (i > 0 && opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
    if (!closed) socket.write(chunk);
  }
  const until = Date.now() + (opts.waitMs ?? 10_000);
  while (acks.length < opts.expect && !closed && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  // A moment more: an ACK beyond the expected ones would show up here.
  await new Promise((r) => setTimeout(r, 150));
  end(socket);
  return { acks, closed };
}

const end = (socket: Socket) => {
  socket.removeAllListeners('data');
  socket.destroy();
};

/** One MLLP frame per message, as a gateway writes them. */
export const framed = (...texts: string[]) => texts.map(frame);

/**
 * node-hl7-client (2.3.x) as the sending gateway: one connection, messages sent one after the other,
 * each once the previous one's ACK came; answers the ACKs in the order received.
 */
export async function sendWithHl7Client(port: number, texts: string[]): Promise<Ack[]> {
  const client = new Client({ host: '127.0.0.1' });
  const acks: Ack[] = [];
  let received: (() => void) | undefined;
  const connection = client.createConnection({ port, waitAck: true, maxConnectionAttempts: 3 }, (res) => {
    acks.push(readAck(res.getMessage().toString()));
    received?.();
  });
  try {
    for (const text of texts) {
      const got = new Promise<void>((resolve) => (received = resolve));
      await connection.sendMessage(new Message({ text }));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no ACK within 10 s; got ${acks.length}`)), 10_000)),
      );
      await Promise.race([got, late]).finally(() => clearTimeout(timer));
    }
    await new Promise((r) => setTimeout(r, 150));
    return acks;
  } finally {
    await connection.close();
    client.closeAll();
  }
}
