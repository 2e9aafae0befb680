import uPlot from 'uplot';
import { clockText } from './format.js';

/**
 * Trend charts with uPlot: systolic, diastolic, heart rate (left axis) and SpO2 (right axis, %).
 * Colours from the Okabe–Ito palette, told apart by line style too (solid, dashed, dotted), so
 * nobody needs to tell red from green. Times on the axis are the clinic's, whatever the device's zone.
 */
export const SERIES = [
  { key: 'systolic', label: 'SYS', stroke: '#e8743b', dash: undefined, scale: 'mmHg' },
  { key: 'diastolic', label: 'DIA', stroke: '#f0b93a', dash: [8, 5], scale: 'mmHg' },
  { key: 'heartRate', label: 'HR', stroke: '#2fbf8f', dash: [2, 4], scale: 'mmHg' },
  { key: 'spo2', label: 'SpO2', stroke: '#6cc3f0', dash: [12, 4, 2, 4], scale: '%' },
] as const;

export type SeriesKey = (typeof SERIES)[number]['key'];
export type ChartData = { t: number[] } & Record<SeriesKey, (number | null)[]>;

const AXIS = { stroke: '#c6cbd3', grid: { stroke: '#ffffff1a', width: 1 }, ticks: { stroke: '#ffffff33', width: 1 } };

export interface TrendChart {
  update(data: ChartData, window: { from: number; to: number } | null): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

/** A chart in `host`; `window` fixes the time range (the tiles' last hour, the whole session), null fits the data. */
export function trendChart(host: HTMLElement, timeZone: string, size: { width: number; height: number }, detail = false): TrendChart {
  // The time axis' labels are also kept on the host (data-ticks), where they can be read (the canvas cannot).
  const axisTime = (_u: uPlot, ticks: number[]) => {
    const seconds = ticks.length > 1 && ticks[1] - ticks[0] < 60;
    const labels = ticks.map((t) => clockText(new Date(t * 1000), timeZone, seconds));
    host.dataset['ticks'] = labels.join(' ');
    return labels;
  };
  const opts: uPlot.Options = {
    width: size.width,
    height: size.height,
    legend: { show: detail },
    cursor: { show: detail, drag: { x: false, y: false } },
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
    // Fixed ranges that widen for values beyond them, so charts side by side read alike and nothing is clipped.
    scales: {
      x: { time: true },
      mmHg: { range: (_u, min, max) => [Math.min(30, min ?? 30), Math.max(200, max ?? 200)] },
      '%': { range: (_u, min) => [Math.min(80, min ?? 80), 100] },
    },
    axes: [
      { ...AXIS, values: axisTime, size: 28, font: '12px system-ui' },
      { ...AXIS, scale: 'mmHg', size: 36, font: '12px system-ui' },
      { ...AXIS, scale: '%', side: 1, size: 42, font: '12px system-ui', grid: { show: false } },
    ],
    series: [
      { value: (_u, t) => (t === null ? '–' : clockText(new Date(t * 1000), timeZone)) },
      ...SERIES.map((s) => ({
        label: s.label,
        scale: s.scale,
        stroke: s.stroke,
        width: detail ? 2 : 2.5,
        spanGaps: true,
        ...(s.dash && { dash: [...s.dash] }),
        points: { show: true, size: detail ? 5 : 4, fill: s.stroke },
      })),
    ],
  };
  const plot = new uPlot(opts, [[], [], [], [], []], host);
  return {
    update(data, window) {
      const columns: uPlot.AlignedData = [data.t, ...SERIES.map((s) => data[s.key])];
      if (window) {
        plot.batch(() => {
          plot.setData(columns, false);
          plot.setScale('x', { min: window.from, max: window.to });
        });
      } else plot.setData(columns, true);
    },
    resize(width, height) {
      if (plot.width !== width || plot.height !== height) plot.setSize({ width, height });
    },
    destroy() {
      plot.destroy();
    },
  };
}
