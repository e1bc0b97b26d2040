import type { Db } from '../db';
import { metricsByGroup } from '../metrics/performance';
import type { PerfSpec } from '../metrics/spec';
import type { MetricValue } from '../metrics/value';
import type { Dimension } from './dimensions';

export interface HeatmapCell {
  x: string;
  y: string;
  n: number;
  value: number | null;
  /** Why the value is missing (e.g. "only the negative class is present"). */
  reason?: string;
}

/**
 * One metric over two dimensions, one GROUP BY on the two code expressions; cells without labelled rows
 * are absent, cells where the metric is undefined carry the reason.
 */
export async function metricHeatmap(db: Db, spec: PerfSpec, x: Dimension, y: Dimension, metric: string, signal?: AbortSignal): Promise<HeatmapCell[]> {
  const groups = await metricsByGroup(
    db,
    spec,
    [
      { sql: x.codeSql, as: 'x' },
      { sql: y.codeSql, as: 'y' },
    ],
    { signal },
  );
  const cells: HeatmapCell[] = [];
  for (const g of groups) {
    const xv = x.values[Number(g.key['x']) - 1];
    const yv = y.values[Number(g.key['y']) - 1];
    if (!xv || !yv) continue;
    const m = (g.metrics as unknown as Record<string, MetricValue | undefined>)[metric];
    const label = (v: typeof xv) => (v.predicate.op === '=' ? String(v.predicate.value) : v.label);
    cells.push({ x: label(xv), y: label(yv), n: g.metrics.n, value: m && m.defined ? m.value : null, ...(m && !m.defined ? { reason: m.reason } : {}) });
  }
  return cells;
}
