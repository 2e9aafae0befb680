/** A client of GET /alerts/stream (or another event stream, such as /board/stream) over real HTTP: what it received, whether and how it ended. */
export interface StreamClient {
  status: number;
  /** The error body when the stream was refused. */
  body: unknown;
  events: Array<{ id: string; event: string; data: Record<string, unknown> }>;
  ended: boolean;
  /** Resolves once the server ends the stream (or the client closes it). */
  done: Promise<void>;
  close(): void;
}

export async function openStream(
  baseUrl: string,
  token: string,
  headers: Record<string, string> = {},
  path = '/api/v1/alerts/stream',
): Promise<StreamClient> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  const client: StreamClient = {
    status: res.status,
    body: undefined,
    events: [],
    ended: false,
    done: Promise.resolve(),
    close: () => controller.abort(),
  };
  if (res.status !== 200) {
    client.body = await res.json();
    client.ended = true;
    return client;
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  client.done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const f = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
          ) as Record<string, string>;
          if (f['data']) client.events.push({ id: f['id'], event: f['event'], data: JSON.parse(f['data']) as Record<string, unknown> });
        }
      }
    } catch {
      // aborted by the client
    } finally {
      client.ended = true;
    }
  })();
  return client;
}

export const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 15000): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};
