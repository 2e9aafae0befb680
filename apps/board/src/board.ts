import { ApiError, ENDED, type Api } from './api.js';
import { ArrivalsPanel, checkInArrival, readArrivals } from './arrivals.js';
import { openDetail } from './detail.js';
import { $, setAttr, setText } from './dom.js';
import { clockText, dayText, zoneName } from './format.js';
import { attachUnbound, discardUnbound, recordVitals, resolveAlert } from './forms.js';
import { discharge, endDosing, startDosing } from './lifecycle-forms.js';
import { observationCheck } from './observation-form.js';
import { preChecks } from './prechecks-form.js';
import { BoardStream, type ConnectionState } from './stream.js';
import { TileView, type TileAction } from './tile.js';
import type { Frame, WallAlert, WallBoard } from './types.js';
import type { UnboundGroup } from './unbound.js';
import { UnboundPanel, UnboundSource, type UnboundAction } from './unbound-panel.js';

/** A message at the top of the page for a few seconds (never a blocking dialog on a wall screen). */
function notify(text: string): void {
  const el = $(document, '#notice');
  setText(el, text);
  window.setTimeout(() => el.textContent === text && setText(el, ''), 8000);
}

/** The floor is read again at least this often, whatever the stream says. */
const RESYNC_MS = 60_000;
/** Reads of the floor are this far apart at least (a monitor feed sends many readings a minute). */
const MIN_READ_GAP_MS = 250;

/**
 * The board while someone is signed in: the floor read from GET /board, kept live by the stream
 * (alert events applied at once, then the floor read again), the clock and every timer redrawn
 * each second from the server's time in the clinic's zone.
 */
export class Board implements Frame {
  timeZone = 'UTC';
  private offset = 0;
  private data: WallBoard | null = null;
  private readonly tiles = new Map<string, TileView>();
  private readonly stream: BoardStream;
  private reading = false;
  /** Signed out: what a read still under way brings is dropped, never drawn on the sign-in form. */
  private stopped = false;
  private readAgain = false;
  private timers: number[] = [];
  private lastRead = 0;
  private readonly unbound: UnboundPanel;
  private readonly unboundSource: UnboundSource;
  private readonly arrivals: ArrivalsPanel;

  constructor(
    private readonly api: Api,
    private readonly root: HTMLElement,
    private readonly onRefused: (message: string) => void,
  ) {
    this.unbound = new UnboundPanel($(document, '#unbound'), (a) => this.actOnUnbound(a));
    this.unboundSource = new UnboundSource(api);
    this.arrivals = new ArrivalsPanel($(document, '#arrivals'), (a) => {
      void checkInArrival(api, a, this.timeZone, () => void this.read()).catch((err: Error) =>
        notify(`The check-in form could not open: ${err.message}`),
      );
    });
    this.stream = new BoardStream(api, {
      open: () => void this.read(),
      alert: (type, data) => this.alertEvent(type, data),
      changed: () => void this.read(),
      state: (state, since) => this.connection(state, since),
      signedOut: () => void this.api.end(ENDED),
    });
  }

  now(): number {
    return Date.now() + this.offset;
  }

  start(): void {
    this.root.hidden = false;
    this.connection('reconnecting', Date.now());
    this.stream.start();
    void this.read();
    const second = () => {
      this.tick();
      this.timers[0] = window.setTimeout(second, 1000 - (Date.now() % 1000) + 5);
    };
    second();
    this.timers[1] = window.setInterval(() => void this.read(), RESYNC_MS);
    window.addEventListener('resize', this.resized);
  }

  /** A turned tablet or a resized window: the charts are drawn again to their tiles' new width. */
  private readonly resized = (): void => {
    window.clearTimeout(this.timers[2]);
    this.timers[2] = window.setTimeout(() => {
      for (const view of this.tiles.values()) view.drawChart();
    }, 100);
  };

  stop(): void {
    this.stopped = true;
    this.stream.stop();
    window.clearTimeout(this.timers[0]);
    window.clearInterval(this.timers[1]);
    window.clearTimeout(this.timers[2]);
    window.removeEventListener('resize', this.resized);
    for (const tile of this.tiles.values()) tile.destroy();
    this.tiles.clear();
    this.root.hidden = true;
    this.unbound.render([], false, this.timeZone);
    this.arrivals.render([], this.timeZone);
  }

  /** Reads the floor; a read asked for while one is under way is made once it ends. */
  async read(): Promise<void> {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const wait = this.lastRead + MIN_READ_GAP_MS - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.lastRead = Date.now();
        const sent = Date.now();
        const asked = this.data !== null;
        const [board, unbound, arrivals] = await Promise.all([
          this.api.call<WallBoard>('GET', '/board'),
          this.unboundSource.read(),
          // Today is the clinic's: until its zone is known (the first read), the arrivals wait for the next read.
          asked ? readArrivals(this.api, this.now(), this.timeZone) : null,
        ]);
        if (this.stopped) return;
        this.offset = Date.parse(board.now) - (sent + Date.now()) / 2;
        this.render(board);
        if (unbound) this.renderUnbound(unbound.groups, unbound.truncated);
        if (arrivals) this.arrivals.render(arrivals, this.timeZone);
        else if (!asked) this.readAgain = true;
      } while (this.readAgain);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) this.onRefused('The board is for nurses and anesthesiologists.');
    } finally {
      this.reading = false;
    }
  }

  private render(board: WallBoard): void {
    this.data = board;
    this.timeZone = board.clinic.timeZone;
    setText($(document, '#clinic'), board.clinic.name);
    const seen = new Set<string>();
    board.sessions.forEach((tile, index) => {
      seen.add(tile.sessionId);
      let view = this.tiles.get(tile.sessionId);
      if (view) view.update(tile, board.trendWindowMin);
      else {
        view = new TileView(
          tile,
          this,
          (action, level) => this.may(action, level),
          (a) => this.act(a),
        );
        this.tiles.set(tile.sessionId, view);
      }
      if (this.root.children[index] !== view.el) this.root.insertBefore(view.el, this.root.children[index] ?? null);
      if (!view.el.isConnected) this.root.append(view.el);
    });
    for (const [id, view] of this.tiles)
      if (!seen.has(id)) {
        view.destroy();
        this.tiles.delete(id);
      }
    for (const view of this.tiles.values()) view.drawChart();
    $(document, '#empty').hidden = board.sessions.length > 0;
    this.tick();
  }

  /** The unbound readings' strip, and on each tile whose chair they come from, a badge saying how many. */
  private renderUnbound(groups: UnboundGroup[], truncated: boolean): void {
    this.unbound.render(groups, truncated, this.timeZone);
    for (const view of this.tiles.values()) {
      const chair = view.el.dataset['chair'];
      view.setUnbound(groups.filter((g) => g.chair !== null && g.chair === chair).reduce((n, g) => n + g.readings.length, 0));
    }
  }

  private actOnUnbound(a: UnboundAction): void {
    const done = () => void this.read();
    if (a.kind === 'attach') attachUnbound(this.api, a.group, this.data?.sessions ?? [], done);
    else discardUnbound(this.api, a.group, done);
  }

  private tick(): void {
    const now = new Date(this.now());
    setText($(document, '#clock'), clockText(now, this.timeZone));
    setText($(document, '#day'), `${dayText(now, this.timeZone)} · ${zoneName(now, this.timeZone)}`);
    for (const view of this.tiles.values()) view.tick();
    // The charts' hour slides along every half minute.
    if (now.getSeconds() % 30 === 0) for (const view of this.tiles.values()) view.drawChart();
  }

  private alertEvent(type: string, data: Record<string, unknown>): void {
    const sessionId = data['sessionId'];
    const view = typeof sessionId === 'string' ? this.tiles.get(sessionId) : undefined;
    if (view && typeof data['id'] === 'string' && typeof data['level'] === 'string') {
      const known = this.data?.sessions.find((s) => s.sessionId === sessionId)?.alerts.find((a) => a.id === data['id']);
      view.applyAlert({
        id: data['id'],
        measure: String(data['measure']),
        level: data['level'] as WallAlert['level'],
        status: data['status'] as WallAlert['status'],
        message: String(data['message']),
        openedAt: String(data['openedAt']),
        acknowledgedAt: (data['acknowledgedAt'] as string | null) ?? null,
        // The event names the user by id; the floor read that follows brings the name.
        acknowledgedBy: known?.acknowledgedBy ?? null,
        escalationLevel: Number(data['escalationLevel'] ?? 0),
      });
    }
    if (type === 'observation-complete' && view) notify(`${view.el.dataset['chair'] ?? ''}: minimum observation complete`);
    void this.read();
  }

  private connection(state: ConnectionState, since: number): void {
    const el = $(document, '#conn');
    setAttr(el, 'data-connection', state);
    const at = clockText(new Date(since), this.timeZone, false);
    setText(el, state === 'live' ? '● live' : state === 'reconnecting' ? `◐ reconnecting since ${at}` : `○ offline since ${at}`);
  }

  /**
   * What the signed-in role may do (docs/api.md Roles): on an alert, nurses handle warnings and
   * critical alerts need an anesthesiologist; a session's start, end of dosing, observation checks
   * and discharge are both roles'.
   */
  private may(action: 'acknowledge' | 'resolve' | 'lifecycle', level?: string): boolean {
    const role = this.api.user?.role;
    if (action === 'lifecycle') return role === 'nurse' || role === 'anesthesiologist';
    return role === 'anesthesiologist' || (role === 'nurse' && level === 'warning');
  }

  private act(a: TileAction): void {
    const tile = this.data?.sessions.find((s) => s.sessionId === a.sessionId);
    if (!tile) return;
    const chair = tile.chairLabel ?? 'no chair';
    if (a.kind === 'detail') void openDetail(this.api, tile, this.timeZone, () => this.now());
    // The floor read again as the form opens: the server's clock it stamps the reading with is then this minute's.
    else if (a.kind === 'vitals') recordVitals(this.api, a.sessionId, chair, () => this.now(), this.read());
    else if (a.kind === 'observation') observationCheck(this.api, tile, () => void this.read());
    else if (a.kind === 'prechecks') preChecks(this.api, tile, this, () => void this.read());
    else if (a.kind === 'start')
      startDosing(this.api, tile, () => void this.read()).catch((err: Error) => notify(`The start form could not open: ${err.message}`));
    else if (a.kind === 'end') endDosing(this.api, tile, this, () => void this.read());
    else if (a.kind === 'discharge') discharge(this.api, tile, this, () => void this.read());
    else if (a.kind === 'resolve')
      resolveAlert(this.api, a.alertId, `${chair}: ${tile.alerts.find((x) => x.id === a.alertId)?.message ?? ''}`);
    else
      this.api.call('POST', `/alerts/${a.alertId}/acknowledge`).then(
        () => void this.read(),
        (err: Error) => notify(`Not acknowledged: ${err.message}`),
      );
  }
}
