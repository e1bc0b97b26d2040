import * as Plot from '@observablehq/plot';
import type { ScatterBin } from '../lib/metrics/regression';
import { GUIDE_COLOR } from './colors';
import { formatCount, formatValue } from './format';
import { extent } from './support';

/** Predicted against actual on one shared extent (so the diagonal is "exact"), binned, coloured by rows. */
export function predictedVsActualChart(bins: readonly ScatterBin[], o: { width?: number; height?: number } = {}): Plot.PlotOptions {
  const range = extent(bins.flatMap((b) => [b.actual, b.predicted])) ?? [0, 1];
  return {
    width: o.width ?? 300,
    height: o.height ?? 280,
    marginLeft: 50,
    ariaLabel: 'Predicted against actual values, binned',
    x: { label: 'actual', domain: range },
    y: { label: 'predicted', domain: range, grid: true },
    color: { type: 'log', scheme: 'oranges', legend: true, label: 'rows per bin' },
    marks: [
      Plot.line(
        range.map((v) => ({ v })),
        { x: 'v', y: 'v', stroke: GUIDE_COLOR, strokeDasharray: '3,3' },
      ),
      Plot.dot(bins, {
        x: 'actual',
        y: 'predicted',
        fill: 'count',
        r: 2.5,
        title: (b: ScatterBin) => `actual ${formatValue(b.actual)}, predicted ${formatValue(b.predicted)}: ${formatCount(b.count)} rows`,
      }),
    ],
  };
}
