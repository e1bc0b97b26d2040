import * as Plot from '@observablehq/plot';
import type { WindowDrift } from '../lib/drift/overTime';
import { DRIFT_COLOR, GUIDE_COLOR, LINE_COLOR, OK_COLOR, TOO_SMALL_BAND, TOO_SMALL_FILL } from './colors';
import { formatCount, formatUtc, formatValue } from './format';
import { captionOf, extent, minSupportOf, supportCaption } from './support';

export interface DriftWindowPoint {
  /** Position in the window list (what the view's selection refers to). */
  i: number;
  start: number;
  end: number;
  rows: number;
  score: number | null;
  drifted: boolean;
}

export function driftWindowPoints(windows: readonly WindowDrift[]): DriftWindowPoint[] {
  return windows.map((w, i) => ({
    i,
    start: w.window.start,
    end: w.window.end,
    rows: w.window.rows,
    score: w.drift.score,
    drifted: w.drift.drifted,
  }));
}

export interface DriftOverTimeOptions {
  threshold: number;
  /** The score is a p-value (drift below the threshold): log scale. */
  pValue: boolean;
  /** What the score is (the method), for the axis. */
  scoreLabel?: string;
  selected?: number | null;
  minSupport?: number;
  width?: number;
  height?: number;
}

/** p-values as numbers, never SI prefixes ("100m" for 0.1 reads as a hundred metres). */
const pValueTick = (p: number) => (p >= 1e-3 ? String(p) : p.toExponential(0));

/** The smallest p-value a log scale can place (a p-value of exactly 0 is drawn there). */
const LOG_FLOOR = 1e-300;

/**
 * Drift score per window of the current data with the threshold as a dashed line. Windows with fewer rows
 * than the minimum support are a grey band with no coloured point and never set the y domain: a window
 * of two rows would otherwise dwarf the real drift.
 */
export function driftOverTimeChart(points: readonly DriftWindowPoint[], o: DriftOverTimeOptions): Plot.PlotOptions {
  const min = minSupportOf(o.minSupport);
  const scored = points.filter((p) => p.score !== null);
  const trusted = scored.filter((p) => p.rows >= min);
  const small = points.filter((p) => p.rows < min);
  const y = (p: DriftWindowPoint) => (o.pValue ? Math.max(p.score!, LOG_FLOOR) : p.score!);
  const range = extent([...trusted.map(y), o.threshold]) ?? [0, 1];
  const domain: [number, number] = o.pValue ? [Math.min(range[0], o.threshold), 1] : [0, Math.max(range[1], o.threshold)];
  // A small window's point is drawn (grey) only when it falls inside the trusted domain.
  const smallInside = small.filter((p) => p.score !== null && y(p) >= domain[0] && y(p) <= domain[1]);
  const label = o.scoreLabel ?? (o.pValue ? 'p-value' : 'drift score');
  const when = (p: DriftWindowPoint) => `${formatUtc(p.start, true)} – ${formatUtc(p.end, true)}`;
  return {
    width: o.width ?? 640,
    height: o.height ?? 220,
    marginLeft: 60,
    ariaLabel: 'Drift score per time window with the threshold as a dashed line',
    caption: captionOf([
      `Dashed: threshold ${formatValue(o.threshold)}${o.pValue ? ' (drift below it)' : ' (drift above it)'}. Red: drift; green: no drift.`,
      supportCaption(min, small.length, ['window', 'windows']),
    ]),
    x: { type: 'utc', label: 'window start (UTC)', labelOffset: 40 },
    marginBottom: 45,
    y: o.pValue
      ? { type: 'log', label: `${label} (log scale)`, grid: true, domain, tickFormat: pValueTick }
      : { label, grid: true, domain, nice: true },
    marks: [
      Plot.rect(small, {
        x1: (p: DriftWindowPoint) => new Date(p.start),
        x2: (p: DriftWindowPoint) => new Date(p.end),
        fill: TOO_SMALL_BAND,
        title: (p: DriftWindowPoint) =>
          `${when(p)}: ${formatCount(p.rows)} rows, fewer than ${formatCount(min)}; score ${formatValue(p.score)} not drawn to scale`,
      }),
      Plot.ruleY([o.threshold], { stroke: DRIFT_COLOR, strokeDasharray: '4,3' }),
      Plot.lineY(trusted, { x: (p: DriftWindowPoint) => new Date(p.start), y, stroke: LINE_COLOR }),
      Plot.dot(smallInside, { x: (p: DriftWindowPoint) => new Date(p.start), y, r: 3, stroke: TOO_SMALL_FILL, fill: 'white' }),
      Plot.dot(trusted, {
        x: (p: DriftWindowPoint) => new Date(p.start),
        y,
        r: (p: DriftWindowPoint) => (p.i === o.selected ? 6 : 4),
        fill: (p: DriftWindowPoint) => (p.drifted ? DRIFT_COLOR : OK_COLOR),
        stroke: (p: DriftWindowPoint) => (p.i === o.selected ? 'black' : 'none'),
        title: (p: DriftWindowPoint) =>
          `${when(p)}: score ${formatValue(p.score)}, ${formatCount(p.rows)} rows, ${p.drifted ? 'drift' : 'no drift'}`,
      }),
      Plot.ruleY(o.pValue ? [] : [0], { stroke: GUIDE_COLOR }),
    ],
  };
}
