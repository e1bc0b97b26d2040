import type { Db } from '../db';
import { binaryReport, type BinaryMetrics, type BinaryReport } from './binary';
import { binaryByGroupSql, binaryMetricsFromGroupRow, type GroupKey } from './groupedBinary';
import {
  confusionCellsSql,
  confusionOf,
  multiclassFromCells,
  multiclassLogLossFromRow,
  multiclassLogLossSql,
  multiclassMetrics,
  type MulticlassMetrics,
} from './multiclass';
import {
  predictedVsActual,
  regressionFromSums,
  regressionMetrics,
  regressionSumsSql,
  residualHistogram,
  type HistogramBin,
  type RegressionMetrics,
  type ScatterBin,
} from './regression';
import { loadScoreTable, type ScoreTable } from './scoreTable';
import type { PerfSpec } from './spec';
import { oneOf, rowsOf, type SqlLike } from '../sql';
import type { Value } from '../db';
import type { MetricValue } from './value';

export type OverallPerformance =
  | { task: 'binary'; metrics: BinaryMetrics; report?: BinaryReport; scoreTable?: ScoreTable }
  | { task: 'multiclass'; metrics: MulticlassMetrics }
  | { task: 'regression'; metrics: RegressionMetrics; residuals: HistogramBin[]; scatter: ScatterBin[] };

export type AnyMetrics = BinaryMetrics | MulticlassMetrics | RegressionMetrics;

interface RunOptions {
  /** A SQL filter on the rows (a slice): `Sql`, or the text a builder kept. */
  where?: SqlLike;
  signal?: AbortSignal;
  /** Skip curves, bootstrap and plots (for the CLI's numbers and for quick previews). */
  pointOnly?: boolean;
}

/** Realised performance over all labelled rows (or a slice of them, with `where`). */
export async function overallPerformance(db: Db, spec: PerfSpec, options: RunOptions = {}): Promise<OverallPerformance> {
  if (spec.task === 'binary') {
    if (!spec.score) {
      const { row } = await oneOf(db, binaryByGroupSql(spec, [], options.where), options);
      return { task: 'binary', metrics: binaryMetricsFromGroupRow(row, false) };
    }
    const scoreTable = await loadScoreTable(db, spec, options);
    if (options.pointOnly) {
      const { row } = await oneOf(db, binaryByGroupSql(spec, [], options.where), options);
      return { task: 'binary', metrics: binaryMetricsFromGroupRow(row, true), scoreTable };
    }
    const report = binaryReport(scoreTable, spec.threshold);
    return { task: 'binary', metrics: report.metrics, report, scoreTable };
  }
  if (spec.task === 'multiclass') return { task: 'multiclass', metrics: await multiclassMetrics(db, spec, options) };
  const metrics = await regressionMetrics(db, spec, options);
  if (options.pointOnly) return { task: 'regression', metrics, residuals: [], scatter: [] };
  return {
    task: 'regression',
    metrics,
    residuals: await residualHistogram(db, spec, 40, options.signal),
    scatter: await predictedVsActual(db, spec, 50, options.signal),
  };
}

export interface GroupMetrics {
  /** The group's key values, by key name. */
  key: Record<string, unknown>;
  metrics: AnyMetrics;
}

/**
 * Metrics for every combination of `keys` (segments, time windows, slices) in one scan per task, with
 * the same definitions as overallPerformance. Per-group intervals are Wilson intervals on rates (and
 * normal intervals for regression); the bootstrap is kept for the overall numbers.
 */
export async function metricsByGroup(db: Db, spec: PerfSpec, groupKeys: GroupKey[], options: RunOptions = {}): Promise<GroupMetrics[]> {
  // Keys travel under internal names so that a key called "n" or "y" cannot collide with the SQL's own columns.
  const keys = groupKeys.map((k, i) => ({ sql: k.sql, as: `__k${i}` }));
  const pick = (key: Value[]) => Object.fromEntries(groupKeys.map((k, i) => [k.as, key[i] ?? null]));
  if (spec.task === 'binary') {
    const rows = await rowsOf(db, binaryByGroupSql(spec, keys, options.where), options);
    return rows.map((r) => ({ key: pick(r.key), metrics: binaryMetricsFromGroupRow(r.row, Boolean(spec.score)) }));
  }
  if (spec.task === 'regression') {
    const rows = await rowsOf(db, regressionSumsSql(spec, keys, options.where), options);
    return rows.map((r) => ({ key: pick(r.key), metrics: regressionFromSums(r.row) }));
  }
  const groups = new Map<
    string,
    { key: Record<string, unknown>; rows: { row: { label: string; predicted: string | null; count: number } }[] }
  >();
  for (const r of await rowsOf(db, confusionCellsSql(spec, options.where, keys), options)) {
    const key = pick(r.key);
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, rows: [] }));
    g.rows.push(r);
  }
  const ll = multiclassLogLossSql(spec, options.where, keys);
  const losses = new Map((ll ? await rowsOf(db, ll, options) : []).map((r) => [JSON.stringify(pick(r.key)), r.row]));
  return [...groups.values()]
    .sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1))
    .map((g) => ({
      key: g.key,
      metrics: {
        ...fromCells(g.rows),
        log_loss: multiclassLogLossFromRow(spec, losses.get(JSON.stringify(g.key))),
      },
    }));
}

function fromCells(rows: Parameters<typeof confusionOf>[0]) {
  const { cells, unpredicted } = confusionOf(rows);
  return multiclassFromCells(cells, unpredicted);
}

/** The metric names each task reports, in the order the CLI and the cards show them. */
export const METRIC_NAMES = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'fpr', 'fnr', 'roc_auc', 'average_precision', 'log_loss', 'brier'],
  multiclass: [
    'accuracy',
    'macro_precision',
    'macro_recall',
    'macro_f1',
    'weighted_precision',
    'weighted_recall',
    'weighted_f1',
    'log_loss',
  ],
  regression: ['mae', 'rmse', 'mape', 'r2', 'mean_error', 'max_error'],
} as const;

/** Flat {name: number | null} of a task's metrics (null = undefined), plus `n`. */
export function flatMetrics(task: PerfSpec['task'], metrics: AnyMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = { n: metrics.n };
  const bag = metrics as unknown as Record<string, MetricValue | undefined>;
  for (const name of METRIC_NAMES[task]) {
    const m = bag[name];
    out[name] = m && m.defined ? m.value : null;
  }
  return out;
}

/** Reasons for the undefined metrics, keyed by name: printed next to the nulls so a null is never a mystery. */
export function undefinedReasons(task: PerfSpec['task'], metrics: AnyMetrics): Record<string, string> {
  const out: Record<string, string> = {};
  const bag = metrics as unknown as Record<string, MetricValue | undefined>;
  for (const name of METRIC_NAMES[task]) {
    const m = bag[name];
    if (m && !m.defined) out[name] = m.reason;
  }
  return out;
}
