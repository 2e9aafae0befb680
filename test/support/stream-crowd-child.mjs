// A crowd of event-stream clients in a process of their own (node:child_process `fork`), as a
// clinic's screens are: many open streams must not share the API's event loop in a test, or the
// test measures its own clients. The parent sends { open: { url, token, headers, count } },
// { report: true } and { close: true }; the child answers { opened: statuses } and
// { report: { sequences: { '<ids as JSON>': streams }, ended } }.
import http from 'node:http';

/** @type {Array<{ ids: string[]; ended: boolean; request: http.ClientRequest }>} */
const streams = [];

function open(url, token, headers) {
  return new Promise((resolve) => {
    const stream = { ids: [], ended: false, request: null };
    stream.request = http.get(url, { agent: false, headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
      streams.push(stream);
      resolve(res.statusCode);
      if (res.statusCode !== 200) return res.resume();
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, cut).split('\n');
          buffer = buffer.slice(cut + 2);
          const id = lines.find((l) => l.startsWith('id: '));
          if (id && lines.some((l) => l.startsWith('data: '))) stream.ids.push(id.slice(4));
        }
      });
      res.on('close', () => (stream.ended = true));
    });
    stream.request.on('error', () => {
      stream.ended = true;
      resolve(0);
    });
  });
}

process.on('message', async (msg) => {
  if (msg.open) {
    const { url, token, headers, count } = msg.open;
    const opened = [];
    for (let i = 0; i < count; i += 100) {
      opened.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => open(url, token, headers)))));
    }
    process.send({ opened });
  } else if (msg.report) {
    const sequences = {};
    for (const s of streams) sequences[JSON.stringify(s.ids)] = (sequences[JSON.stringify(s.ids)] ?? 0) + 1;
    process.send({ report: { sequences, ended: streams.filter((s) => s.ended).length } });
  } else if (msg.close) {
    for (const s of streams) s.request.destroy();
    process.disconnect();
  }
});
