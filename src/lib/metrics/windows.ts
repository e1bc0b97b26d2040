import type { Db } from '../db';
import { ident, num, raw, rowsOf, select, sql, type SqlLike } from '../sql';
import { binaryMetricsAt, thresholdFreeMetrics, type ThresholdFreeMetrics } from './binary';
import { groupMetricsAt, loadGroupedScoreCounts, type ScoreCountGroup } from './groupedScores';
import { metricsByGroup, overallPerformance, type AnyMetrics } from './performance';
import { loadScoreTable, type ScoreTable } from './scoreTable';
import { labelledSql, type PerfSpec } from './spec';
import { windowSql, windowUnitOf, type WindowUnit } from './time';

export interface WindowMetrics {
  /** Window start, epoch milliseconds (UTC). */
  start: number;
  /** All predictions in the window, labelled or not. */
  predictions: number;
  /** Predictions in the window with a label: the n every metric of the window rests on. */
  labelled: number;
  metrics: AnyMetrics | undefined;
}

export interface MetricsOverTime {
  unit: WindowUnit;
  windows: WindowMetrics[];
  /** Performance on the reference data (training or validation), drawn as a baseline. */
  reference?: AnyMetrics;
}

interface WindowOptions {
  unit?: WindowUnit;
  reference?: PerfSpec;
  signal?: AbortSignal;
}

/**
 * What metrics over time of a binary classifier with scores rest on, at any threshold: per window the
 * counts per distinct score (and the reference's score table). Built with one GROUP BY; `windowsAt` then
 * answers a threshold move in JS without touching the rows.
 */
export interface WindowScoreCounts {
  unit: WindowUnit;
  counts: { start: number; predictions: number; labelled: number }[];
  groups: Map<number, ScoreCountGroup>;
  reference?: { table: ScoreTable; free: ThresholdFreeMetrics };
}

async function resolveUnit(db: Db, spec: PerfSpec, tsSql: SqlLike, options: WindowOptions): Promise<WindowUnit> {
  return options.unit ?? (await windowUnitOf(db, spec.table, tsSql, options.signal));
}

/** Per window (start, epoch ms as DuckDB hands out a TIMESTAMP), the predictions and the labelled ones. */
export function windowCountsSql(spec: PerfSpec, tsSql: SqlLike, unit: WindowUnit) {
  return select(
    {
      start: num(windowSql(tsSql, unit), 0),
      predictions: num(raw('count(*)::DOUBLE'), 0),
      labelled: num(sql`count(*) FILTER (WHERE ${labelledSql(spec)})::DOUBLE`, 0),
    },
    sql`FROM ${ident(spec.table)} WHERE ${raw(tsSql)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
}

/** Per-window score counts of a binary classifier with a score column (see WindowScoreCounts). */
export async function windowScoreCounts(db: Db, spec: PerfSpec, tsSql: SqlLike, options: WindowOptions = {}): Promise<WindowScoreCounts> {
  const unit = await resolveUnit(db, spec, tsSql, options);
  const counts = await rowsOf(db, windowCountsSql(spec, tsSql, unit), { signal: options.signal });
  const grouped = await loadGroupedScoreCounts(db, spec, [sql`epoch_ms(${windowSql(tsSql, unit)})`], {
    where: sql`${raw(tsSql)} IS NOT NULL`,
    signal: options.signal,
  });
  const out: WindowScoreCounts = { unit, counts, groups: new Map(grouped.map((g) => [g.key[0]!, g])) };
  if (options.reference) {
    const table = await loadScoreTable(db, options.reference, { signal: options.signal });
    out.reference = { table, free: thresholdFreeMetrics(table) };
  }
  return out;
}

/** Metrics over time at a threshold from the cached counts: pure JS over small arrays. */
export function windowsAt(w: WindowScoreCounts, threshold: number): MetricsOverTime {
  const at = new Map(groupMetricsAt([...w.groups.values()], threshold).map((g) => [g.key[0]!, g.metrics]));
  const windows = w.counts.map((c) => ({ ...c, metrics: at.get(c.start) }));
  return w.reference
    ? { unit: w.unit, windows, reference: binaryMetricsAt(w.reference.table, threshold, w.reference.free) }
    : { unit: w.unit, windows };
}

/**
 * Every metric per time window with the label count per window. Windows with predictions but no labels
 * are kept (metrics undefined): a run of recent windows without labels is the delayed-label picture.
 */
export async function metricsOverTime(db: Db, spec: PerfSpec, tsSql: SqlLike, options: WindowOptions = {}): Promise<MetricsOverTime> {
  if (spec.task === 'binary' && spec.score && (!options.reference || options.reference.score)) {
    return windowsAt(await windowScoreCounts(db, spec, tsSql, options), spec.threshold);
  }
  const unit = await resolveUnit(db, spec, tsSql, options);
  const counts = await rowsOf(db, windowCountsSql(spec, tsSql, unit), { signal: options.signal });
  const start = { sql: windowSql(tsSql, unit), as: 'start' };
  const groups = await metricsByGroup(db, spec, [start], { where: sql`${raw(tsSql)} IS NOT NULL`, signal: options.signal });
  const byStart = new Map(groups.map((g) => [Number(g.key[start.as]), g.metrics]));
  const windows = counts.map((c) => ({ ...c, metrics: byStart.get(c.start) }));
  const reference = options.reference
    ? (await overallPerformance(db, options.reference, { pointOnly: true, signal: options.signal })).metrics
    : undefined;
  return reference ? { unit, windows, reference } : { unit, windows };
}
