import * as Plot from '@observablehq/plot';
import type { HistogramBin } from '../lib/metrics/regression';
import { CURRENT_COLOR } from './colors';
import { formatCount, formatValue } from './format';
import type { ChartTable } from './table';

/** Residuals (prediction - label) per equal-width bin, bars from 0, with 0 (no error) marked. */
export function residualChart(bins: readonly HistogramBin[], o: { width?: number; height?: number } = {}): Plot.PlotOptions {
  return {
    width: o.width ?? 340,
    height: o.height ?? 220,
    marginLeft: 50,
    ariaLabel: 'Residuals (prediction − label)',
    x: { label: 'residual (prediction − label)' },
    y: { label: 'rows', grid: true, domain: [0, Math.max(0, ...bins.map((b) => b.count))], nice: true },
    marks: [
      Plot.rectY(bins, {
        x1: 'lo',
        x2: 'hi',
        y1: 0,
        y2: 'count',
        fill: CURRENT_COLOR,
        insetLeft: 0.5,
        insetRight: 0.5,
        title: (b: HistogramBin) => `${formatValue(b.lo)} – ${formatValue(b.hi)}: ${formatCount(b.count)} rows`,
      }),
      Plot.ruleX([0], { stroke: '#444', strokeDasharray: '3,3' }),
      Plot.ruleY([0]),
    ],
  };
}

export function residualTable(bins: readonly HistogramBin[]): ChartTable {
  return {
    caption: 'Rows per residual bin',
    columns: ['residual', 'rows'],
    numeric: [false, true],
    rows: bins.map((b) => [`${formatValue(b.lo)} – ${formatValue(b.hi)}`, formatCount(b.count)]),
  };
}
