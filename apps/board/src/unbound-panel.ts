import type { Api } from './api.js';
import { h, setText } from './dom.js';
import { clockText } from './format.js';
import { groupUnbound, REASON_TEXT, valuesText, type UnboundGroup, type UnboundReading } from './unbound.js';

export type UnboundAction = { kind: 'attach' | 'discard'; group: UnboundGroup };

/**
 * The strip above the tiles listing the monitor readings no session took (cyan, "◇", the
 * technical colour of central stations, never an alarm's): one row per monitor and reason with
 * where, why, how many, when and the latest values, and the buttons to attach or discard them.
 * Hidden while there are none.
 */
export class UnboundPanel {
  private groups: UnboundGroup[] = [];
  private readonly list: HTMLElement;
  private readonly more: HTMLElement;

  constructor(
    private readonly el: HTMLElement,
    private readonly act: (action: UnboundAction) => void,
  ) {
    this.list = h('ul', { class: 'unbound-list' });
    this.more = h('p', { class: 'unbound-more', hidden: true });
    el.replaceChildren(
      h('h2', { id: 'unbound-title' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, '◇ '), 'Monitor readings not charted'),
      h('p', { class: 'unbound-why' }, 'No session took these monitor readings: attach them to their patient’s session, or discard them.'),
      this.list,
      this.more,
    );
    el.setAttribute('aria-labelledby', 'unbound-title');
    el.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
      const group = this.groups.find((g) => g.key === button?.closest<HTMLElement>('[data-key]')?.dataset['key']);
      const kind = button?.dataset['action'];
      if (group && (kind === 'attach' || kind === 'discard')) this.act({ kind, group });
    });
  }

  render(groups: UnboundGroup[], truncated: boolean, timeZone: string): void {
    this.groups = groups;
    this.el.hidden = groups.length === 0;
    const focused =
      document.activeElement instanceof HTMLElement && this.el.contains(document.activeElement) ? document.activeElement : null;
    const keep = focused ? { key: focused.closest<HTMLElement>('[data-key]')?.dataset['key'], action: focused.dataset['action'] } : null;
    this.list.replaceChildren(...groups.map((g) => this.row(g, timeZone)));
    if (keep?.key) this.list.querySelector<HTMLElement>(`[data-key="${CSS.escape(keep.key)}"] [data-action="${keep.action}"]`)?.focus();
    this.more.hidden = !truncated;
    setText(this.more, truncated ? 'Showing the newest 200; more are waiting.' : '');
  }

  private row(g: UnboundGroup, timeZone: string): HTMLElement {
    const newest = g.readings[0];
    const oldest = g.readings[g.readings.length - 1];
    const at = (iso: string) => clockText(new Date(iso), timeZone, false);
    const count = g.readings.length === 1 ? '1 reading' : `${g.readings.length} readings`;
    const when = g.readings.length === 1 ? at(newest.measuredAt) : `${at(oldest.measuredAt)}–${at(newest.measuredAt)}`;
    return h(
      'li',
      { class: 'unbound-group', 'data-testid': 'unbound-group', 'data-key': g.key, 'data-reason': g.reason, 'data-chair': g.chair },
      h('span', { class: 'where' }, g.where),
      h('span', { class: 'why' }, REASON_TEXT[g.reason]),
      h('span', { class: 'count' }, `${count} · ${when}`),
      h('span', { class: 'values', 'data-testid': 'unbound-values' }, `latest ${valuesText(newest.values)}`),
      h(
        'span',
        { class: 'buttons' },
        h('button', { type: 'button', 'data-action': 'attach', 'aria-label': `Attach the readings of ${g.where} to a session` }, 'Attach…'),
        h('button', { type: 'button', 'data-action': 'discard', 'aria-label': `Discard the readings of ${g.where}` }, 'Discard…'),
      ),
    );
  }
}

const PAGE = 200;

/**
 * The clinic's open unbound readings (the newest 200) grouped, their chairs named from GET /chairs
 * (read again when a chair is not known yet). Null when they could not be read: the panel keeps what it shows.
 */
export class UnboundSource {
  private readonly chairs = new Map<string, string>();

  constructor(private readonly api: Api) {}

  async read(): Promise<{ groups: UnboundGroup[]; truncated: boolean } | null> {
    try {
      const page = await this.api.call<{ items: UnboundReading[]; nextCursor: string | null }>(
        'GET',
        `/unbound-readings?status=open&limit=${PAGE}`,
      );
      if (page.items.some((u) => u.chairId && !this.chairs.has(u.chairId))) await this.readChairs();
      return { groups: groupUnbound(page.items, (id) => this.chairs.get(id) ?? null), truncated: page.nextCursor !== null };
    } catch {
      return null;
    }
  }

  private async readChairs(): Promise<void> {
    let cursor: string | null = null;
    for (let n = 0; n < 10; n++) {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: Array<{ id: string; name: string }>; nextCursor: string | null } = await this.api.call(
        'GET',
        `/chairs?limit=${PAGE}${q}`,
      );
      for (const c of page.items) this.chairs.set(c.id, c.name);
      cursor = page.nextCursor;
      if (!cursor) return;
    }
  }
}
