import type { Api } from './api.js';
import { trendChart, type ChartData } from './chart.js';
import { h } from './dom.js';
import { alertText, clockText, dayText } from './format.js';
import type { WallTile } from './types.js';

interface TimelineEntry {
  at: string;
  kind: 'event' | 'vitals' | 'alert';
  type: string;
  data: Record<string, unknown>;
}

interface SessionDetail {
  status: string;
  timeline: TimelineEntry[];
  readingsTruncated: boolean;
}

interface Reading {
  measuredAt: string;
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  spo2: number | null;
}

/** Every reading of the session (the API pages them 1,000 at a time; a session has far fewer). */
async function allReadings(api: Api, sessionId: string): Promise<Reading[]> {
  const out: Reading[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const q: string = `?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: { items: Reading[]; nextCursor: string | null } = await api.call('GET', `/sessions/${sessionId}/vitals${q}`);
    out.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return out;
}

const num = (v: unknown) => (typeof v === 'number' ? String(v) : '–');
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** One line of the timeline as a person reads it; only what the board may show (no names, no free text of pre-checks). */
function describe(e: TimelineEntry): string {
  const d = e.data;
  if (e.kind === 'vitals') {
    const parts = [`BP ${num(d['systolic'])}/${num(d['diastolic'])}`, `HR ${num(d['heartRate'])}`, `SpO2 ${num(d['spo2'])}`];
    if (d['respiratoryRate'] !== null) parts.push(`RR ${num(d['respiratoryRate'])}`);
    if (d['moaas'] !== null) parts.push(`MOAA/S ${num(d['moaas'])}`);
    const breach = str(d['breachLevel']) && d['breachLevel'] !== 'none' ? ` · ${str(d['breachLevel'])}` : '';
    return `${e.type} reading: ${parts.join(' · ')}${d['baseline'] ? ' · baseline' : ''}${breach}`;
  }
  if (e.kind === 'alert') return `alert ${e.type}: ${str(d['level'])} ${alertText(str(d['message']))}`;
  const move = str(d['to']) ? ` → ${str(d['to']).replace(/_/g, ' ')}` : '';
  const reason = typeof d['reason'] === 'string' ? `: ${d['reason']}` : '';
  return `${e.type}${move}${reason}`;
}

/** The session's detail over the board: the whole session's chart and its timeline. Esc or Close returns to the board. */
export async function openDetail(api: Api, tile: WallTile, timeZone: string, now: () => number): Promise<void> {
  const body = h('div', { class: 'detail-body' }, h('p', {}, 'Loading…'));
  const close = h('button', { type: 'button', class: 'close' }, 'Close');
  const d = h(
    'dialog',
    { class: 'detail', 'data-testid': 'detail', 'aria-label': `session detail, chair ${tile.chairLabel ?? ''}` },
    h(
      'header',
      {},
      h('h2', {}, `${tile.chairLabel ?? 'No chair'} · ${tile.patient.initials} · ${tile.patient.age} y`),
      h('span', { class: 'protocol' }, tile.protocol.name),
      close,
    ),
    body,
  );
  close.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  try {
    const [detail, readings] = await Promise.all([
      api.call<SessionDetail>('GET', `/sessions/${tile.sessionId}`),
      allReadings(api, tile.sessionId),
    ]);
    const chartHost = h('div', { class: 'detail-chart', 'data-testid': 'detail-chart' });
    const rows = detail.timeline.map((e) =>
      h(
        'li',
        { 'data-kind': e.kind },
        h('time', { datetime: e.at }, `${dayText(new Date(e.at), timeZone)} ${clockText(new Date(e.at), timeZone)}`),
        h('span', {}, describe(e)),
      ),
    );
    body.replaceChildren(
      h('p', { class: 'status' }, `state: ${detail.status.replace(/_/g, ' ')} · ${readings.length} readings`),
      chartHost,
      h('h3', {}, 'Timeline'),
      ...(detail.readingsTruncated
        ? [h('p', { class: 'note' }, 'The timeline lists the latest 100 readings; the chart has them all.')]
        : []),
      h('ol', { class: 'timeline', 'data-testid': 'timeline' }, ...rows),
    );
    const data: ChartData = {
      t: readings.map((r) => Math.floor(Date.parse(r.measuredAt) / 1000)),
      systolic: readings.map((r) => r.systolic),
      diastolic: readings.map((r) => r.diastolic),
      heartRate: readings.map((r) => r.heartRate),
      spo2: readings.map((r) => r.spo2),
    };
    const width = Math.max(300, chartHost.clientWidth || 800);
    // From the first reading (at least the last half hour) to now: the session so far.
    const to = Math.floor(now() / 1000);
    trendChart(chartHost, timeZone, { width, height: 280 }, true).update(data, {
      from: Math.min(data.t[0] ?? to, to - 1800) - 60,
      to: to + 60,
    });
  } catch (err) {
    body.replaceChildren(h('p', { class: 'error' }, `The session could not be read: ${(err as Error).message}`));
  }
}
