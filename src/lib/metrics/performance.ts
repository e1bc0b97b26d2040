import type { Db } from '../db';
import { binaryReport, type BinaryMetrics, type BinaryReport } from './binary';
import { binaryByGroupSql, binaryMetricsFromGroupRow, type GroupKey } from './groupedBinary';
import {
  multiclassFromCells,
  multiclassLogLossFromRow,
  multiclassLogLossSql,
  multiclassMetrics,
  type ConfusionCell,
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
import { labelledSql, labelTextSql, predictionTextSql, type PerfSpec } from './spec';
import { ident } from '../sql';
import type { MetricValue } from './value';

export type OverallPerformance =
  | { task: 'binary'; metrics: BinaryMetrics; report?: BinaryReport; scoreTable?: ScoreTable }
  | { task: 'multiclass'; metrics: MulticlassMetrics }
  | { task: 'regression'; metrics: RegressionMetrics; residuals: HistogramBin[]; scatter: ScatterBin[] };

export type AnyMetrics = BinaryMetrics | MulticlassMetrics | RegressionMetrics;

interface RunOptions {
  where?: string;
  signal?: AbortSignal;
  /** Skip curves, bootstrap and plots (for the CLI's numbers and for quick previews). */
  pointOnly?: boolean;
}

/** Realised performance over all labelled rows (or a slice of them, with `where`). */
export async function overallPerformance(db: Db, spec: PerfSpec, options: RunOptions = {}): Promise<OverallPerformance> {
  if (spec.task === 'binary') {
    if (!spec.score) {
      const [row] = await db.query(binaryByGroupSql(spec, [], options.where), options);
      return { task: 'binary', metrics: binaryMetricsFromGroupRow(row ?? {}, false) };
    }
    const scoreTable = await loadScoreTable(db, spec, options);
    if (options.pointOnly) {
      const [row] = await db.query(binaryByGroupSql(spec, [], options.where), options);
      return { task: 'binary', metrics: binaryMetricsFromGroupRow(row ?? {}, true), scoreTable };
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
  const pick = (r: Record<string, unknown>) => Object.fromEntries(groupKeys.map((k, i) => [k.as, r[`__k${i}`] ?? null]));
  if (spec.task === 'binary') {
    const rows = await db.query(binaryByGroupSql(spec, keys, options.where), options);
    return rows.map((r) => ({ key: pick(r), metrics: binaryMetricsFromGroupRow(r, Boolean(spec.score)) }));
  }
  if (spec.task === 'regression') {
    const rows = await db.query(regressionSumsSql(spec, keys, options.where), options);
    return rows.map((r) => ({ key: pick(r), metrics: regressionFromSums(r) }));
  }
  const keySelect = keys.map((k) => `${k.sql} AS ${ident(k.as)}, `).join('');
  const rows = await db.query(
    `SELECT ${keySelect}${labelTextSql(spec)} AS __label, ${predictionTextSql(spec)} AS __pred, count(*)::DOUBLE AS __n FROM ${ident(spec.table)} WHERE ${labelledSql(spec)}${options.where ? ` AND (${options.where})` : ''} GROUP BY ALL`,
    options,
  );
  const groups = new Map<string, { key: Record<string, unknown>; cells: ConfusionCell[]; unpredicted: number }>();
  for (const r of rows) {
    const key = pick(r);
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, cells: [], unpredicted: 0 }));
    if (r['__pred'] === null) g.unpredicted += Number(r['__n']);
    else g.cells.push({ label: String(r['__label']), predicted: String(r['__pred']), count: Number(r['__n']) });
  }
  const llSql = multiclassLogLossSql(spec, options.where, keys);
  const losses = new Map((llSql ? await db.query(llSql, options) : []).map((r) => [JSON.stringify(pick(r)), r]));
  return [...groups.values()]
    .sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1))
    .map((g) => ({
      key: g.key,
      metrics: {
        ...multiclassFromCells(g.cells, g.unpredicted),
        log_loss: multiclassLogLossFromRow(spec, losses.get(JSON.stringify(g.key))),
      },
    }));
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
