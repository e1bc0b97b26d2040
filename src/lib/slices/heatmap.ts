import type { Db } from '../db';
import { metricsByGroup, type AnyMetrics } from '../metrics/performance';
import type { PerfSpec } from '../metrics/spec';
import type { MetricValue } from '../metrics/value';
import type { Dimension, DimensionValue } from './dimensions';

export interface HeatmapCell {
  x: string;
  y: string;
  /** Position of x and y in their dimension (quantile bins in order, categories by frequency). */
  xi: number;
  yi: number;
  n: number;
  value: number | null;
  /** Why the value is missing (e.g. "only the negative class is present"). */
  reason?: string;
}

/** The value part of a predicate, short enough for an axis: "north", "< 18.8", "18.8-32.4", "≥ 90.3". */
export function shortLabel(v: DimensionValue): string {
  const p = v.predicate;
  const num = (x: number) => String(Number(x.toPrecision(4)));
  if (p.op === '=') return String(p.value);
  if (p.op === 'is null') return 'missing';
  if (p.op === '<') return `< ${num(p.value as number)}`;
  if (p.op === '>=') return `≥ ${num(p.value as number)}`;
  const [lo, hi] = p.value as [number, number];
  return `${num(lo)}–${num(hi)}`;
}

/**
 * One metric over two dimensions, one GROUP BY on the two code expressions; cells without labelled rows
 * are absent, cells where the metric is undefined carry the reason.
 */
export async function metricHeatmap(
  db: Db,
  spec: PerfSpec,
  x: Dimension,
  y: Dimension,
  metric: string,
  signal?: AbortSignal,
): Promise<HeatmapCell[]> {
  const keys = [
    { sql: x.codeSql, as: 'x' },
    { sql: y.codeSql, as: 'y' },
  ];
  const groups = await metricsByGroup(db, spec, keys, { signal });
  return heatmapCells(
    x,
    y,
    metric,
    groups.map((g) => ({ key: keys.map((k) => Number(g.key[k.as])), metrics: g.metrics })),
  );
}

/** Cells from per-(x code, y code) metrics (from SQL, or from cached score counts at a threshold). */
export function heatmapCells(x: Dimension, y: Dimension, metric: string, groups: { key: number[]; metrics: AnyMetrics }[]): HeatmapCell[] {
  const cells: HeatmapCell[] = [];
  for (const g of groups) {
    const xv = x.values[g.key[0]! - 1];
    const yv = y.values[g.key[1]! - 1];
    if (!xv || !yv) continue;
    const m = (g.metrics as unknown as Record<string, MetricValue | undefined>)[metric];
    cells.push({
      x: shortLabel(xv),
      y: shortLabel(yv),
      xi: xv.code,
      yi: yv.code,
      n: g.metrics.n,
      value: m && m.defined ? m.value : null,
      ...(m && !m.defined ? { reason: m.reason } : {}),
    });
  }
  return cells;
}
