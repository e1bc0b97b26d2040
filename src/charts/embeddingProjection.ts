import * as Plot from '@observablehq/plot';
import type { EmbeddingProjection } from '../lib/multivariate/embeddingDrift';
import { SIDE_COLORS } from './colors';
import { formatCount, formatValue } from './format';
import { captionOf } from './support';
import type { ChartTable } from './table';

export interface ProjectedPoint {
  side: 'reference' | 'current';
  x: number;
  y: number;
}

/** Both sides' points, reference first (drawn under the current points). */
export function projectedPoints(p: EmbeddingProjection): ProjectedPoint[] {
  const out: ProjectedPoint[] = [];
  for (const side of ['reference', 'current'] as const) p[side].x.forEach((x, i) => out.push({ side, x, y: p[side].y[i]! }));
  return out;
}

const share = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * The vectors of both sides on the reference's first two principal components: where the current points
 * leave the reference's cloud, the embedding moved. Small translucent dots, so thousands stay readable.
 */
export function embeddingProjectionChart(
  name: string,
  p: EmbeddingProjection,
  o: { width?: number; height?: number; totals?: { reference: number; current: number } } = {},
): Plot.PlotOptions {
  const points = projectedPoints(p);
  const shown = { reference: p.reference.x.length, current: p.current.x.length };
  const partly = o.totals && (o.totals.reference > shown.reference || o.totals.current > shown.current);
  return {
    width: o.width ?? 480,
    height: o.height ?? 360,
    marginLeft: 50,
    marginBottom: 40,
    ariaLabel: `Embedding ${name}: reference and current vectors on the reference's first two principal components`,
    caption: captionOf([
      `Slate: ${formatCount(shown.reference)} reference vectors; amber: ${formatCount(shown.current)} current vectors.`,
      partly && o.totals ? `Drawn: evenly spaced rows of ${formatCount(o.totals.reference)} and ${formatCount(o.totals.current)}.` : null,
      `Axes: the reference's first two principal components (${share(p.explained[0])} and ${share(p.explained[1])} of its variance).`,
    ]),
    x: { label: `component 1 (${share(p.explained[0])})`, grid: true, nice: true },
    y: { label: `component 2 (${share(p.explained[1])})`, grid: true, nice: true },
    color: { ...SIDE_COLORS, legend: true },
    marks: [
      // One mark, reference rows first: the current points are drawn over the reference's cloud.
      Plot.dot(points, { x: 'x', y: 'y', r: 2, fill: 'side', fillOpacity: 0.45 }),
    ],
  };
}

/** The chart's numbers as text: each side's centre and spread on the two axes. */
export function embeddingProjectionTable(p: EmbeddingProjection): ChartTable {
  const stats = (v: Float32Array) => {
    let s = 0;
    for (const x of v) s += x;
    const mean = v.length ? s / v.length : Number.NaN;
    let q = 0;
    for (const x of v) q += (x - mean) ** 2;
    return { mean, sd: v.length > 1 ? Math.sqrt(q / (v.length - 1)) : Number.NaN };
  };
  return {
    caption: "Vectors on the reference's first two principal components",
    columns: ['side', 'vectors drawn', 'mean on 1', 'sd on 1', 'mean on 2', 'sd on 2'],
    numeric: [false, true, true, true, true, true],
    rows: (['reference', 'current'] as const).map((side) => {
      const a = stats(p[side].x);
      const b = stats(p[side].y);
      return [side, formatCount(p[side].x.length), formatValue(a.mean), formatValue(a.sd), formatValue(b.mean), formatValue(b.sd)];
    }),
  };
}
