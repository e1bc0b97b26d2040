import * as Plot from '@observablehq/plot';
import type { ResultChartData } from '../lib/console/chart';
import { formatCount, formatUtc, formatValue } from './format';
import type { ChartTable } from './table';
import { truncateLabel } from './labels';

export interface ResultChartOptions {
  width?: number;
  height?: number;
}

const BAR = '#2b6cb0';

/** A console result drawn as the chart its types allow (src/lib/console/chart.ts chose and shaped the data). */
export function resultChart(data: ResultChartData, o: ResultChartOptions = {}): Plot.PlotOptions {
  const size = { width: o.width ?? 720, height: o.height ?? 320 };
  if (data.kind === 'bar') {
    const label = data.y ? `sum of ${data.y}` : 'rows';
    return {
      ...size,
      marginLeft: 140,
      ariaLabel: `${label} by ${data.x}`,
      x: { label, grid: true },
      y: { label: data.x, domain: data.bars.map((b) => b.x), tickFormat: (v: string) => truncateLabel(v, 20) },
      marks: [
        Plot.barX(data.bars, {
          y: 'x',
          x1: 0,
          x2: 'value',
          fill: BAR,
          title: (b: { x: string; value: number }) => `${b.x}: ${formatValue(b.value)}`,
        }),
        Plot.ruleX([0]),
      ],
    };
  }
  if (data.kind === 'histogram') {
    const bins = data.bins.map((b) => ({ ...b, from: data.temporal ? new Date(b.x0) : b.x0, to: data.temporal ? new Date(b.x1) : b.x1 }));
    return {
      ...size,
      ariaLabel: `Distribution of ${data.x}`,
      x: { label: data.x, type: data.temporal ? 'utc' : 'linear' },
      y: { label: 'rows', grid: true },
      marks: [
        Plot.rectY(bins, {
          x1: 'from',
          x2: 'to',
          y1: 0,
          y2: 'count',
          fill: BAR,
          inset: 0.5,
          title: (b: { x0: number; x1: number; count: number }) =>
            `${data.temporal ? formatUtc(b.x0, true) : formatValue(b.x0)} – ${data.temporal ? formatUtc(b.x1, true) : formatValue(b.x1)}: ${formatCount(b.count)} rows`,
        }),
        Plot.ruleY([0]),
      ],
    };
  }
  const points = data.points.map((p) => ({ x: data.temporal ? new Date(p.x) : p.x, y: p.y }));
  return {
    ...size,
    ariaLabel: `${data.y} against ${data.x}`,
    x: { label: data.x, type: data.temporal ? 'utc' : 'linear' },
    y: { label: data.y, grid: true },
    marks:
      data.kind === 'line'
        ? [
            Plot.lineY(points, { x: 'x', y: 'y', stroke: BAR }),
            Plot.dot(points.length <= 200 ? points : [], { x: 'x', y: 'y', r: 2, fill: BAR }),
          ]
        : [Plot.dot(points, { x: 'x', y: 'y', r: 2, fill: BAR, fillOpacity: 0.6 })],
  };
}

/** What the chart shows, as text (its alternative for readers who cannot see it). */
export function resultChartTable(data: ResultChartData): ChartTable {
  if (data.kind === 'bar')
    return {
      caption: `${data.y ? `Sum of ${data.y}` : 'Rows'} by ${data.x}${data.more ? ` (largest ${data.bars.length}; ${data.more} more not drawn)` : ''}`,
      columns: [data.x, data.y ? `sum of ${data.y}` : 'rows'],
      rows: data.bars.map((b) => [b.x, formatValue(b.value)]),
      numeric: [false, true],
    };
  if (data.kind === 'histogram')
    return {
      caption: `Rows per bin of ${data.x}`,
      columns: ['from', 'to', 'rows'],
      rows: data.bins.map((b) => [
        data.temporal ? formatUtc(b.x0, true) : formatValue(b.x0),
        data.temporal ? formatUtc(b.x1, true) : formatValue(b.x1),
        formatCount(b.count),
      ]),
      numeric: [true, true, true],
    };
  return {
    caption: `${data.y} against ${data.x}${data.sampled ? ` (a sample of ${formatCount(data.points.length)} rows)` : ''}`,
    columns: [data.x, data.y],
    rows: data.points.slice(0, 200).map((p) => [data.temporal ? formatUtc(p.x, true) : formatValue(p.x), formatValue(p.y)]),
    numeric: [!data.temporal, true],
  };
}
