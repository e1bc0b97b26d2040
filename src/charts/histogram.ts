import * as Plot from '@observablehq/plot';
import type { HistogramBin } from '../lib/profile';
import { formatCount, formatUtc, formatValue } from './format';

export interface ColumnHistogramOptions {
  label: string;
  /** Bin edges are epoch milliseconds (a time column), shown in UTC. */
  temporal?: boolean;
  width?: number;
  height?: number;
}

const edge = (x: number, temporal: boolean) => (temporal ? formatUtc(x, true) : formatValue(x));

/** The dataset card's thumbnail of a numeric or time column: rows per bin, bars from 0. */
export function columnHistogram(bins: readonly HistogramBin[], o: ColumnHistogramOptions): Plot.PlotOptions {
  const temporal = o.temporal ?? false;
  const data = bins.map((b) => ({ ...b, from: temporal ? new Date(b.x0) : b.x0, to: temporal ? new Date(b.x1) : b.x1 }));
  return {
    width: o.width ?? 140,
    height: o.height ?? 36,
    margin: 1,
    axis: null,
    ariaLabel: `Distribution of ${o.label}`,
    x: { type: temporal ? 'utc' : 'linear' },
    y: { domain: [0, Math.max(0, ...bins.map((b) => b.count))] },
    marks: [
      Plot.rectY(data, {
        x1: 'from',
        x2: 'to',
        y1: 0,
        y2: 'count',
        fill: '#b7791f',
        inset: 0.5,
        title: (b: HistogramBin) => `${edge(b.x0, temporal)} – ${edge(b.x1, temporal)}: ${formatCount(b.count)} rows`,
      }),
    ],
  };
}

/** One sentence with what the thumbnail shows, for readers who cannot see it. */
export function histogramDescription(bins: readonly HistogramBin[], temporal = false): string {
  if (bins.length === 0) return 'No values to draw.';
  const fullest = bins.reduce((a, b) => (b.count > a.count ? b : a));
  const total = bins.reduce((s, b) => s + b.count, 0);
  return (
    `${formatCount(total)} values in ${bins.length} bins from ${edge(bins[0]!.x0, temporal)} to ${edge(bins.at(-1)!.x1, temporal)}; ` +
    `the fullest bin, ${edge(fullest.x0, temporal)} – ${edge(fullest.x1, temporal)}, holds ${formatCount(fullest.count)}.`
  );
}
