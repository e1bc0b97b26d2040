import * as Plot from '@observablehq/plot';
import type { ReconstructionDrift } from '../lib/multivariate/reconstructionDrift';
import { CURRENT_COLOR, DRIFT_COLOR, GUIDE_COLOR, REFERENCE_COLOR, TOO_SMALL_FILL } from './colors';
import { formatCount, formatUtc, formatValue } from './format';
import { captionOf, extent, minSupportOf, supportCaption } from './support';
import type { ChartTable } from './table';

export interface ErrorPoint {
  side: 'reference' | 'current';
  /** Calendar windows: the start (epoch ms); chunks: their position over both sides (1, 2, ...). */
  x: number;
  start: number;
  end: number;
  rows: number;
  error: number;
  drifted: boolean;
}

/** The windows of both sides in the order they are drawn: reference first, then current. */
export function errorPoints(r: ReconstructionDrift): ErrorPoint[] {
  const calendar = r.windowing === 'calendar';
  const out: ErrorPoint[] = [];
  for (const side of ['reference', 'current'] as const)
    for (const w of r[side].windows)
      out.push({
        side,
        x: calendar ? w.start : out.length + 1,
        start: w.start,
        end: w.end,
        rows: w.rows,
        error: w.error,
        drifted: w.drifted,
      });
  return out;
}

function whenOf(r: ReconstructionDrift, p: ErrorPoint): string {
  return r.windowing === 'calendar' ? `${formatUtc(p.start, true)} – ${formatUtc(p.end, true)}` : `${p.side} chunk ${p.start}`;
}

/**
 * The mean reconstruction error of every window, reference then current, with the threshold band (dashed)
 * that the reference's own windows set. A window outside it is red; windows with fewer rows than the
 * minimum support are grey and never set the y domain.
 */
export function reconstructionErrorChart(
  r: ReconstructionDrift,
  o: { minSupport?: number; width?: number; height?: number } = {},
): Plot.PlotOptions {
  const min = minSupportOf(o.minSupport);
  const points = errorPoints(r);
  const trusted = points.filter((p) => p.rows >= min && Number.isFinite(p.error));
  const small = points.filter((p) => p.rows < min && Number.isFinite(p.error));
  const t = r.threshold;
  const range = extent([...trusted.map((p) => p.error), ...(t ? [t.lower, t.upper] : [])]) ?? [0, 1];
  const domain: [number, number] = [Math.min(0, range[0]), range[1]];
  const smallInside = small.filter((p) => p.error >= domain[0] && p.error <= domain[1]);
  const calendar = r.windowing === 'calendar';
  const x = (p: ErrorPoint) => (calendar ? new Date(p.x) : p.x);
  return {
    width: o.width ?? 640,
    height: o.height ?? 240,
    marginLeft: 60,
    marginBottom: 45,
    ariaLabel: 'Mean reconstruction error per window, reference and current, with the threshold band',
    caption: captionOf([
      'Slate: reference windows; amber: current windows.',
      t
        ? `Dashed: threshold band ${formatValue(t.lower)} – ${formatValue(t.upper)} (mean of the reference windows ± ${formatValue(t.sigmas)} standard deviations). Red: outside the band.`
        : r.thresholdNote,
      supportCaption(min, small.length, ['window', 'windows']),
    ]),
    x: calendar ? { type: 'utc', label: 'window start (UTC)', labelOffset: 40 } : { label: 'chunk', labelOffset: 40, tickFormat: 'd' },
    y: { label: 'mean reconstruction error', grid: true, domain, nice: true },
    marks: [
      Plot.ruleY(t ? [t.lower, t.upper] : [], { stroke: DRIFT_COLOR, strokeDasharray: '4,3' }),
      Plot.lineY(
        trusted.filter((p) => p.side === 'reference'),
        { x, y: 'error', stroke: REFERENCE_COLOR },
      ),
      Plot.lineY(
        trusted.filter((p) => p.side === 'current'),
        { x, y: 'error', stroke: CURRENT_COLOR },
      ),
      Plot.dot(smallInside, { x, y: 'error', r: 3, stroke: TOO_SMALL_FILL, fill: 'white' }),
      Plot.dot(trusted, {
        x,
        y: 'error',
        r: 4,
        fill: (p: ErrorPoint) => (p.drifted ? DRIFT_COLOR : p.side === 'reference' ? REFERENCE_COLOR : CURRENT_COLOR),
        title: (p: ErrorPoint) =>
          `${whenOf(r, p)}: error ${formatValue(p.error)}, ${formatCount(p.rows)} rows${p.drifted ? ', outside the threshold' : ''}`,
      }),
      Plot.ruleY([0], { stroke: GUIDE_COLOR }),
    ],
  };
}

/** The chart's numbers as text. */
export function reconstructionErrorTable(r: ReconstructionDrift): ChartTable {
  return {
    caption: 'Mean reconstruction error per window',
    columns: ['side', 'window', 'rows', 'error', 'outside the threshold'],
    numeric: [false, false, true, true, false],
    rows: errorPoints(r).map((p) => [
      p.side,
      r.windowing === 'calendar' ? formatUtc(p.start, true) : `chunk ${p.start}`,
      formatCount(p.rows),
      formatValue(p.error),
      p.drifted ? 'yes' : 'no',
    ]),
  };
}
