import { binaryMetricsAt, type BinaryMetrics, type ThresholdFreeMetrics } from './binary';
import { cbpeWindowsAt, type CbpeCounts, type CbpeWindow } from './cbpe';
import type { Confusion } from './confusion';
import { costsFromCounts, type CostReport } from './costViews';
import type { CostSettings } from './costs';
import { groupMetricsAt, type ScoreCountGroup } from './groupedScores';
import type { AnyMetrics } from './performance';
import { confusionAt, type ScoreTable } from './scoreTable';
import { windowsAt, type MetricsOverTime, type WindowScoreCounts } from './windows';
import type { Dimension } from '../slices/dimensions';
import { heatmapCells, type HeatmapCell } from '../slices/heatmap';

/**
 * What a performance session of a binary classifier with scores keeps so that a threshold move is pure JS
 * over small arrays: counts per distinct score overall, per time window (with CBPE's calibrated sums), per
 * value of each sliced dimension and per heatmap cell - each built by one GROUP BY the first time its view
 * is shown. Nothing here queries DuckDB.
 */
export interface ThresholdCache {
  overall?: { table: ScoreTable; free: ThresholdFreeMetrics };
  windows?: WindowScoreCounts;
  cbpe?: { start: number; counts: CbpeCounts }[];
  /** By dimension name. */
  slices: Map<string, ScoreCountGroup[]>;
  /** By `${x}\u0000${y}`. */
  heat: Map<string, ScoreCountGroup[]>;
}

export const heatKey = (x: string, y: string) => `${x}\u0000${y}`;

export interface SliceRow {
  value: string;
  metrics: AnyMetrics;
}

/** Which slice table and heatmap the page shows (only those are recomputed on a move). */
export interface ThresholdViewsWanted {
  dimension?: string | null;
  heat?: { x: string; y: string; metric: string } | null;
  /** Costs per outcome: the expected cost, the cost-optimal threshold and costs by window and slice. */
  costs?: CostSettings | null;
}

/** Every threshold-dependent result of the view at one threshold. */
export interface AtThreshold {
  threshold: number;
  metrics: BinaryMetrics;
  confusion: Confusion;
  overTime?: Pick<MetricsOverTime, 'windows' | 'reference' | 'unit'> & { cbpe: CbpeWindow[] | null };
  bySlice?: { dimension: string; rows: SliceRow[] };
  heat?: { x: string; y: string; metric: string; cells: HeatmapCell[] };
  cost?: CostReport;
  /** Time spent computing all of the above in the engine, milliseconds. */
  ms: number;
}

export function sliceRowsAt(dim: Dimension, groups: readonly ScoreCountGroup[], threshold: number): SliceRow[] {
  return groupMetricsAt(groups, threshold)
    .filter((g) => g.key[0]! > 0)
    .map((g) => ({ value: dim.values[g.key[0]! - 1]!.label, metrics: g.metrics }));
}

export function viewsAtThreshold(
  cache: ThresholdCache,
  dims: readonly Dimension[],
  threshold: number,
  wanted: ThresholdViewsWanted = {},
): AtThreshold | null {
  const start = performance.now();
  if (!cache.overall) return null;
  const { table, free } = cache.overall;
  const out: AtThreshold = { threshold, metrics: binaryMetricsAt(table, threshold, free), confusion: confusionAt(table, threshold), ms: 0 };
  if (cache.windows)
    out.overTime = { ...windowsAt(cache.windows, threshold), cbpe: cache.cbpe ? cbpeWindowsAt(cache.cbpe, threshold) : null };
  const dim = wanted.dimension ? dims.find((d) => d.name === wanted.dimension) : undefined;
  const sliceGroups = dim && cache.slices.get(dim.name);
  if (dim && sliceGroups) out.bySlice = { dimension: dim.name, rows: sliceRowsAt(dim, sliceGroups, threshold) };
  const h = wanted.heat;
  const dx = h && dims.find((d) => d.name === h.x);
  const dy = h && dims.find((d) => d.name === h.y);
  const heatGroups = h && cache.heat.get(heatKey(h.x, h.y));
  if (h && dx && dy && heatGroups) out.heat = { ...h, cells: heatmapCells(dx, dy, h.metric, groupMetricsAt(heatGroups, threshold)) };
  if (wanted.costs)
    out.cost = costsFromCounts(
      wanted.costs,
      threshold,
      table,
      cache.windows?.groups ?? null,
      dim && sliceGroups ? { dim, groups: sliceGroups } : null,
    );
  out.ms = performance.now() - start;
  return out;
}
