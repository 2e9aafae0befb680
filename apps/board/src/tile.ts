import { SERIES, trendChart, type TrendChart } from './chart.js';
import { $, h, setAttr, setText } from './dom.js';
import { ageText, alarmOf, alertText, clockText, duration, isStale, phaseText } from './format.js';
import { CHECKED_STATUSES } from './observation-form.js';
import type { Frame, LatestValue, WallAlert, WallTile } from './types.js';

export type TileAction =
  | { kind: 'detail'; sessionId: string }
  | { kind: 'vitals'; sessionId: string }
  | { kind: 'observation'; sessionId: string }
  | { kind: 'acknowledge'; sessionId: string; alertId: string }
  | { kind: 'resolve'; sessionId: string; alertId: string }
  | { [K in LifecycleStep]: { kind: K; sessionId: string } }[LifecycleStep];

/** The step of its life a session takes next at the chair (pre-checks, start, end of dosing, discharge), by its status. */
export type LifecycleStep = 'prechecks' | 'start' | 'end' | 'discharge';
const NEXT_STEP: Record<string, { kind: LifecycleStep; label: string }> = {
  checked_in: { kind: 'prechecks', label: 'Pre-checks' },
  ready: { kind: 'start', label: 'Start dosing' },
  dosing: { kind: 'end', label: 'End dosing' },
  paused: { kind: 'end', label: 'End dosing' },
  observation: { kind: 'discharge', label: 'Discharge' },
  aborted: { kind: 'discharge', label: 'Discharge' },
};
const isStep = (action: string): action is LifecycleStep => Object.values(NEXT_STEP).some((s) => s.kind === action);

const LEVEL_MARK = { critical: '▲▲ CRITICAL', warning: '◆ WARNING', none: '' } as const;
const NUMERICS = [
  { key: 'bp', label: 'BP', unit: 'mmHg' },
  { key: 'hr', label: 'HR', unit: '/min' },
  { key: 'spo2', label: 'SpO2', unit: '%' },
  { key: 'rr', label: 'RR', unit: '/min' },
] as const;

/** One chair's tile: built once, then updated in place (text, attributes, the chart's data) as the floor changes. */
export class TileView {
  readonly el: HTMLElement;
  private tile: WallTile;
  private chart: TrendChart | null = null;
  private chartWindowMin = 60;

  constructor(
    tile: WallTile,
    private readonly frame: Frame,
    private readonly may: (action: 'acknowledge' | 'resolve' | 'lifecycle', level?: string) => boolean,
    private readonly act: (action: TileAction) => void,
  ) {
    this.tile = tile;
    this.el = h(
      'article',
      { class: 'tile', 'data-session-id': tile.sessionId },
      h(
        'header',
        { class: 'tile-head' },
        h('button', { class: 'chair', type: 'button', 'data-testid': 'chair', title: 'Open the session' }),
        h('span', { class: 'who', 'data-testid': 'patient' }),
        h('span', { class: 'phase', 'data-testid': 'phase' }),
      ),
      h('div', { class: 'sub' }, h('span', { class: 'protocol', 'data-testid': 'protocol' })),
      h(
        'div',
        { class: 'times' },
        h('span', { 'data-testid': 'timer' }),
        h('span', { 'data-testid': 'countdown' }),
        h('span', { class: 'badge overdue', 'data-testid': 'overdue', hidden: true }),
        h('span', { class: 'badge stale', 'data-testid': 'stale', hidden: true }),
        h('span', { class: 'badge unbound', 'data-testid': 'unbound-badge', hidden: true }),
      ),
      h('div', { class: 'alarms', 'data-testid': 'alarm', role: 'status', 'aria-live': 'assertive' }),
      h(
        'div',
        { class: 'numerics' },
        ...NUMERICS.map((n) =>
          h(
            'div',
            { class: 'num', 'data-measure': n.key },
            h('span', { class: 'label' }, n.label),
            h('span', { class: 'value', 'data-testid': n.key }, '–'),
            h('span', { class: 'unit' }, n.unit),
            h('span', { class: 'age', 'data-testid': `${n.key}-age` }),
          ),
        ),
      ),
      h('div', { class: 'chart', 'data-testid': 'chart', 'aria-hidden': 'true' }),
      h('div', { class: 'legend', 'aria-hidden': 'true' }, ...SERIES.map((x) => h('span', { class: `key key-${x.key}` }, x.label))),
      h(
        'footer',
        { class: 'tile-actions' },
        h('span', { class: 'doctor' }),
        h('button', { type: 'button', class: 'step', 'data-testid': 'step', hidden: true }),
        h('button', { type: 'button', 'data-action': 'observation', hidden: true }, 'Observation check…'),
        h('button', { type: 'button', 'data-action': 'vitals' }, 'Record vitals'),
        h('button', { type: 'button', 'data-action': 'detail' }, 'Details'),
      ),
    );
    this.el.addEventListener('click', (e) => this.clicked(e));
    this.update(tile, 60);
  }

  private clicked(e: Event): void {
    const button = (e.target as Element).closest('button');
    if (!button) return;
    const sessionId = this.tile.sessionId;
    const action = button.dataset['action'] ?? (button.classList.contains('chair') ? 'detail' : '');
    const alertId = button.dataset['alertId'];
    if (action === 'detail' || action === 'vitals' || action === 'observation' || isStep(action)) this.act({ kind: action, sessionId });
    else if ((action === 'acknowledge' || action === 'resolve') && alertId) this.act({ kind: action, sessionId, alertId });
  }

  update(tile: WallTile, windowMin: number): void {
    this.tile = tile;
    this.chartWindowMin = windowMin;
    const chair = tile.chairLabel ?? 'No chair';
    setAttr(this.el, 'data-chair', tile.chairLabel ?? '');
    setAttr(this.el, 'aria-label', `${chair}: ${tile.patient.initials}, ${tile.patient.age} years, ${tile.protocol.name}`);
    setAttr($(this.el, '.chair'), 'aria-label', `${chair}: open the session`);
    setAttr($(this.el, '[data-action=vitals]'), 'aria-label', `Record vitals, ${chair}`);
    setAttr($(this.el, '[data-action=detail]'), 'aria-label', `Details, ${chair}`);
    setText($(this.el, '.chair'), tile.chairLabel ?? 'No chair');
    setText($(this.el, '.who'), `${tile.patient.initials} · ${tile.patient.age} y`);
    setText($(this.el, '.protocol'), tile.protocol.name);
    setAttr($(this.el, '.protocol'), 'title', tile.protocol.name);
    setText($(this.el, '.doctor'), tile.anesthesiologist ? `Anesth. ${tile.anesthesiologist}` : '');
    this.renderStep(chair);
    this.renderAlerts();
    this.tick();
    this.drawChart();
  }

  /** The button of the session's next step, for the roles the API lets take it (docs/api.md Roles); none once discharged. */
  private renderStep(chair: string): void {
    const step = this.may('lifecycle') ? NEXT_STEP[this.tile.status] : undefined;
    const button = $(this.el, '[data-testid=step]');
    button.hidden = !step;
    setAttr(button, 'data-action', step?.kind ?? null);
    setText(button, step ? `${step.label}…` : '');
    setAttr(button, 'aria-label', step ? `${step.label}, ${chair}` : null);
    // From the start of dosing until discharge: the nurse's observation checks (dissociation…).
    const check = $(this.el, '[data-action=observation]');
    check.hidden = !(this.may('lifecycle') && CHECKED_STATUSES.includes(this.tile.status));
    setAttr(check, 'aria-label', `Observation check, ${chair}`);
  }

  /** An alert event applied before the floor is read again (its level and status; who acknowledged follows). */
  applyAlert(alert: WallAlert): void {
    const others = this.tile.alerts.filter((a) => a.id !== alert.id);
    const alerts = alert.status === 'resolved' ? others : [...others, alert].sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    this.tile = { ...this.tile, alerts };
    this.renderAlerts();
  }

  /** Every second: timers, countdowns, the age of each value, staleness, overdue. */
  tick(): void {
    const t = this.tile;
    const now = this.frame.now();
    setText($(this.el, '.phase'), phaseText(t.status, t.observation.eligibleAt, now));
    setAttr($(this.el, '.phase'), 'data-status', t.status);
    const started = t.dosingStartedAt ? Date.parse(t.dosingStartedAt) : null;
    // Esketamine (Spravato label): the clock and the observation run from the first device.
    const from = t.protocol.key.startsWith('esketamine') ? 'first device' : 'dose start';
    setText($(this.el, '[data-testid=timer]'), started === null ? 'not dosed yet' : `${from} +${duration(now - started)}`);
    const eligible = t.observation.eligibleAt ? Date.parse(t.observation.eligibleAt) : null;
    const countdown =
      eligible === null
        ? `observation ${t.observation.minimumMin} min after ${from === 'first device' ? 'the first device' : 'dosing'}`
        : eligible > now
          ? `discharge eligible in ${duration(eligible - now)}`
          : `discharge eligible since ${clockText(new Date(eligible), this.frame.timeZone, false)}`;
    setText($(this.el, '[data-testid=countdown]'), countdown);
    this.renderNumerics(now);
    this.renderOverdue(now);
  }

  private renderNumerics(now: number): void {
    const v = this.tile.vitals;
    const bp = v.systolic && v.diastolic ? { value: `${v.systolic.value}/${v.diastolic.value}`, at: v.systolic.measuredAt } : null;
    const one = (x: LatestValue | null) => (x ? { value: String(x.value), at: x.measuredAt } : null);
    const values = { bp, hr: one(v.heartRate), spo2: one(v.spo2), rr: one(v.respiratoryRate) };
    const staleOnes: string[] = [];
    for (const n of NUMERICS) {
      const cell = $(this.el, `[data-measure=${n.key}]`);
      const x = values[n.key];
      setText($(cell, '.value'), x?.value ?? '–');
      const stale = x !== null && isStale(x.at, v.staleAfterMin, now);
      if (stale) staleOnes.push(n.label);
      setText($(cell, '.age'), x ? ageText(now - Date.parse(x.at)) : 'none');
      setAttr(cell, 'data-stale', stale ? 'true' : null);
    }
    // Greyed is not enough for everyone: the tile says in words which values are stale.
    const badge = $(this.el, '[data-testid=stale]');
    badge.hidden = staleOnes.length === 0;
    setText(badge, `stale: ${staleOnes.join(', ')} (over ${v.staleAfterMin} min)`);
  }

  private renderOverdue(now: number): void {
    const v = this.tile.vitals;
    const alert = this.tile.alerts.some((a) => a.measure === 'vitals-overdue');
    const due = v.dueAt ? Date.parse(v.dueAt) : null;
    const late = due !== null && now > due + v.overdueAfterMin * 60_000;
    const badge = $(this.el, '[data-testid=overdue]');
    badge.hidden = !(alert || late);
    setAttr(this.el, 'data-overdue', alert || late ? 'true' : null);
    setText(badge, due !== null && now > due ? `◷ vitals overdue · due ${ageText(now - due)} ago` : '◷ vitals overdue');
  }

  /** How many monitor readings from this chair no session took (0: no badge). */
  setUnbound(count: number): void {
    const badge = $(this.el, '[data-testid=unbound-badge]');
    badge.hidden = count === 0;
    setText(badge, count === 1 ? '◇ 1 monitor reading not charted' : `◇ ${count} monitor readings not charted`);
  }

  private renderAlerts(): void {
    const t = this.tile;
    const level = alarmOf(t.alerts, t.vitals.breachLevel);
    setAttr(this.el, 'data-alarm', level);
    const unacknowledged = t.alerts.some((a) => a.status === 'open' && a.level === 'critical');
    setAttr(this.el, 'data-flash', unacknowledged ? 'true' : null);
    const host = $(this.el, '.alarms');
    const chair = t.chairLabel ?? 'No chair';
    const about = (a: WallAlert) => `${a.level} alert, ${chair}: ${alertText(a.message)}`;
    // A redraw must not take the keyboard's place away: the focused button is focused again.
    const focused = host.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
    const refocus = focused && { id: focused.dataset['alertId'], action: focused.dataset['action'] };
    host.replaceChildren(
      ...t.alerts.map((a) =>
        h(
          'div',
          { class: 'alert', 'data-level': a.level, 'data-status': a.status, 'data-alert-id': a.id },
          h('span', { class: 'mark' }, LEVEL_MARK[a.level]),
          h('span', { class: 'text' }, alertText(a.message)),
          h('span', { class: 'ack', 'data-testid': 'ack' }, this.ackText(a)),
          a.status === 'open' && this.may('acknowledge', a.level)
            ? h(
                'button',
                { type: 'button', 'data-action': 'acknowledge', 'data-alert-id': a.id, 'aria-label': `Acknowledge, ${about(a)}` },
                'Acknowledge',
              )
            : null,
          this.may('resolve', a.level)
            ? h(
                'button',
                { type: 'button', 'data-action': 'resolve', 'data-alert-id': a.id, 'aria-label': `Resolve, ${about(a)}` },
                'Resolve…',
              )
            : null,
          a.status === 'open' && !this.may('acknowledge', a.level) ? h('span', { class: 'hint' }, 'needs an anesthesiologist') : null,
        ),
      ),
    );
    if (t.alerts.length === 0 && level !== 'none')
      host.append(
        h(
          'div',
          { class: 'alert', 'data-level': level },
          h('span', { class: 'mark' }, LEVEL_MARK[level]),
          h('span', {}, 'latest reading out of range'),
        ),
      );
    if (refocus) {
      const same = (action?: string) =>
        host.querySelector<HTMLElement>(`button[data-alert-id="${refocus.id ?? ''}"]${action ? `[data-action="${action}"]` : ''}`);
      (same(refocus.action) ?? same() ?? $(this.el, '.chair')).focus();
    }
  }

  private ackText(a: WallAlert): string {
    if (a.status !== 'acknowledged') return a.escalationLevel > 0 ? 'open · escalated' : 'open';
    const at = a.acknowledgedAt ? ` ${clockText(new Date(a.acknowledgedAt), this.frame.timeZone, false)}` : '';
    return `ack by ${a.acknowledgedBy ?? '…'}${at}`;
  }

  /** The last hour, with the time axis ending now. */
  drawChart(): void {
    const host = $(this.el, '.chart');
    const width = Math.max(200, Math.floor(host.clientWidth || this.el.clientWidth - 24));
    const height = Math.max(90, Math.floor(host.clientHeight || 130));
    this.chart ??= trendChart(host, this.frame.timeZone, { width, height });
    this.chart.resize(width, height);
    const to = Math.floor(this.frame.now() / 1000);
    this.chart.update(this.tile.trend, { from: to - this.chartWindowMin * 60, to });
  }

  destroy(): void {
    this.chart?.destroy();
    this.el.remove();
  }
}
