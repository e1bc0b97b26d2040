/**
 * Backtest: the task's metrics over consecutive time folds of the labelled rows, and whether they differ
 * more than chance allows. Folds split the rows ordered by time into equal parts at timestamp edges (the
 * timestamps of rows floor(i * n / k)), so rows of one timestamp stay in one fold. Stability is tested on
 * the main metric: Cochran's Q over DeLong variances for ROC AUC, Pearson's chi-square of the correct and
 * wrong counts for accuracy, one-way ANOVA of the absolute errors for MAE.
 */
import type { Db } from '../db';
import { chi2Sf } from '../drift/special';
import { chi2Homogeneity } from '../drift/chisquare';
import { incompleteBeta } from '../metrics/distributions';
import { delongVariance } from '../metrics/delong';
import { groupMetricsAt, loadGroupedScoreCounts, type ScoreCountGroup } from '../metrics/groupedScores';
import { flatMetrics, metricsByGroup, type AnyMetrics } from '../metrics/performance';
import { labelledSql, predictedValueSql, type PerfSpec } from '../metrics/spec';
import { ident, literal } from '../sql';
import { VALIDATION_DEFAULTS } from './defaults';
import { mainMetric } from './overfitting';

export interface BacktestFold {
  fold: number;
  /** First and last timestamp of the fold (ISO, UTC). */
  start: string;
  end: string;
  n: number;
  metrics: AnyMetrics;
}

export interface Heterogeneity {
  test: 'delong-q' | 'chi-square' | 'anova';
  statistic: number;
  df: number;
  pValue: number;
}

export interface BacktestReport {
  timestamp: string;
  folds: BacktestFold[];
  metric: string;
  /** The main metric per fold (null where undefined). */
  values: (number | null)[];
  /** Largest minus smallest value of the main metric over the folds. */
  spread: number | null;
  heterogeneity: Heterogeneity | null;
  /** No significant difference between folds at the 5% level. */
  stable: boolean | null;
  threshold: number | null;
}

export type BacktestCache =
  | {
      kind: 'scored';
      base: Omit<BacktestReport, 'folds' | 'values' | 'spread' | 'heterogeneity' | 'stable' | 'threshold'>;
      groups: ScoreCountGroup[];
      spans: Span[];
      threshold: number;
    }
  | { kind: 'fixed'; report: BacktestReport };

interface Span {
  fold: number;
  start: string;
  end: string;
}

/** The fold of each row: how many edges are at or before its timestamp. */
function foldSql(tsMs: string, edges: number[]): string {
  return edges.length ? `(${edges.map((e) => `CAST(${tsMs} >= ${literal(e)} AS INTEGER)`).join(' + ')})` : '0';
}

async function foldEdges(db: Db, spec: PerfSpec, tsMs: string, folds: number, signal?: AbortSignal): Promise<number[]> {
  const where = `${labelledSql(spec)} AND ${tsMs} IS NOT NULL`;
  const [c] = await db.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(spec.table)} WHERE ${where}`, { signal });
  const n = Number(c?.['n'] ?? 0);
  const positions = Array.from({ length: folds - 1 }, (_, i) => Math.floor(((i + 1) * n) / folds));
  if (n === 0 || positions.length === 0) return [];
  const rows = await db.query(
    `SELECT r, t FROM (SELECT row_number() OVER (ORDER BY ${tsMs}) - 1 AS r, ${tsMs} AS t FROM ${ident(spec.table)} WHERE ${where}) WHERE r IN (${positions.join(', ')}) ORDER BY r`,
    { signal },
  );
  return [...new Set(rows.map((r) => Number(r['t'])))].sort((a, b) => a - b);
}

async function foldSpans(db: Db, spec: PerfSpec, tsMs: string, fold: string, signal?: AbortSignal): Promise<Span[]> {
  const rows = await db.query(
    `SELECT ${fold} AS f, min(${tsMs})::DOUBLE AS lo, max(${tsMs})::DOUBLE AS hi FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} AND ${tsMs} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    { signal },
  );
  return rows.map((r) => ({
    fold: Number(r['f']),
    start: new Date(Number(r['lo'])).toISOString(),
    end: new Date(Number(r['hi'])).toISOString(),
  }));
}

/** Cochran's Q: do independent AUCs with DeLong variances differ more than chance allows? */
function aucHeterogeneity(aucs: { auc: number; variance: number }[]): Heterogeneity | null {
  const usable = aucs.filter((a) => a.variance > 0);
  if (usable.length < 2) return null;
  const w = usable.map((a) => 1 / a.variance);
  const sw = w.reduce((a, b) => a + b, 0);
  const mean = usable.reduce((s, a, i) => s + w[i]! * a.auc, 0) / sw;
  const q = usable.reduce((s, a, i) => s + w[i]! * (a.auc - mean) ** 2, 0);
  return { test: 'delong-q', statistic: q, df: usable.length - 1, pValue: chi2Sf(q, usable.length - 1) };
}

/** Pearson's chi-square of correct / wrong counts per fold (scipy's chi2_contingency without correction). */
function accuracyHeterogeneity(folds: { correct: number; n: number }[]): Heterogeneity | null {
  if (folds.length < 2) return null;
  // chi2Homogeneity compares two samples over categories: here the categories are the folds.
  const correct = folds.map((f) => f.correct);
  const wrong = folds.map((f) => f.n - f.correct);
  if (correct.every((c) => c === 0) || wrong.every((w) => w === 0)) return null;
  const r = chi2Homogeneity(correct, wrong);
  return { test: 'chi-square', statistic: r.statistic, df: folds.length - 1, pValue: r.pValue };
}

/** One-way ANOVA F test of a per-row quantity from per-fold n, sum and sum of squares. */
function anova(groups: { n: number; sum: number; sumSq: number }[]): Heterogeneity | null {
  const k = groups.length;
  const N = groups.reduce((a, g) => a + g.n, 0);
  if (k < 2 || N - k < 1) return null;
  const grand = groups.reduce((a, g) => a + g.sum, 0) / N;
  const between = groups.reduce((a, g) => a + g.n * (g.sum / g.n - grand) ** 2, 0);
  const within = groups.reduce((a, g) => a + (g.sumSq - (g.sum * g.sum) / g.n), 0);
  if (!(within > 0)) return null;
  const f = between / (k - 1) / (within / (N - k));
  const d1 = k - 1;
  const d2 = N - k;
  return { test: 'anova', statistic: f, df: d1, pValue: incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2) };
}

function summarise(folds: BacktestFold[], metric: string, heterogeneity: Heterogeneity | null) {
  const values = folds.map((f) => {
    const v = flatMetrics(taskOf(f.metrics), f.metrics)[metric];
    return v === undefined ? null : v;
  });
  const defined = values.filter((v): v is number => v !== null);
  return {
    values,
    spread: defined.length >= 2 ? Math.max(...defined) - Math.min(...defined) : null,
    heterogeneity,
    stable: heterogeneity ? heterogeneity.pValue >= 0.05 : null,
  };
}

function taskOf(m: AnyMetrics): PerfSpec['task'] {
  return 'roc_auc' in m ? 'binary' : 'macro_f1' in m ? 'multiclass' : 'regression';
}

/** The report at a threshold from the cached per-fold score counts (binary with scores), or the fixed one. */
export function backtestAt(cache: BacktestCache, threshold: number | null): BacktestReport {
  if (cache.kind === 'fixed') return cache.report;
  const t = threshold ?? cache.threshold;
  const byFold = new Map(groupMetricsAt(cache.groups, t).map((g) => [g.key[0]!, g.metrics]));
  const folds: BacktestFold[] = [];
  for (const s of cache.spans) {
    const metrics = byFold.get(s.fold);
    if (metrics) folds.push({ ...s, fold: folds.length + 1, n: metrics.n, metrics });
  }
  let heterogeneity: Heterogeneity | null;
  if (cache.base.metric === 'roc_auc') {
    const aucs = cache.groups.flatMap((g) => {
      const d = g.table ? delongVariance(g.table) : null;
      return d ? [d] : [];
    });
    heterogeneity = aucHeterogeneity(aucs);
  } else
    heterogeneity = accuracyHeterogeneity(
      folds.map((f) => ({ correct: Math.round((f.metrics as { accuracy: { value: number } }).accuracy.value * f.n), n: f.n })),
    );
  return { ...cache.base, folds, ...summarise(folds, cache.base.metric, heterogeneity), threshold: t };
}

/** Per-fold counts (and, for other tasks, the report) for a spec with a timestamp. */
export async function loadBacktest(
  db: Db,
  spec: PerfSpec,
  tsSql: string,
  options: { folds?: number; signal?: AbortSignal } = {},
): Promise<BacktestCache> {
  const { signal } = options;
  const k = Math.max(2, Math.floor(options.folds ?? VALIDATION_DEFAULTS.folds));
  const tsMs = `epoch_ms(${tsSql})::DOUBLE`;
  const edges = await foldEdges(db, spec, tsMs, k, signal);
  const fold = foldSql(tsMs, edges);
  const spans = await foldSpans(db, spec, tsMs, fold, signal);
  const metric = mainMetric(spec);
  const where = `${tsMs} IS NOT NULL`;
  const base = { timestamp: spec.timestamp ?? '', metric };
  if (spec.task === 'binary' && spec.score) {
    const groups = await loadGroupedScoreCounts(db, spec, [fold], { where, ...(signal ? { signal } : {}) });
    return { kind: 'scored', base, groups, spans, threshold: spec.threshold };
  }
  const groups = await metricsByGroup(db, spec, [{ sql: fold, as: 'fold' }], { where, ...(signal ? { signal } : {}) });
  const byFold = new Map(groups.map((g) => [Number(g.key['fold']), g.metrics]));
  const folds: BacktestFold[] = [];
  for (const s of spans) {
    const metrics = byFold.get(s.fold);
    if (metrics) folds.push({ ...s, fold: folds.length + 1, n: metrics.n, metrics });
  }
  let heterogeneity: Heterogeneity | null = null;
  if (spec.task === 'regression') {
    const e = `abs(${predictedValueSql(spec)} - CAST(${ident(spec.label)} AS DOUBLE))`;
    const rows = await db.query(
      `SELECT ${fold} AS f, count(*)::DOUBLE AS n, fsum(${e})::DOUBLE AS s, fsum(${e} * ${e})::DOUBLE AS q FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} AND isfinite(${e}) AND ${where} GROUP BY 1 ORDER BY 1`,
      { signal },
    );
    heterogeneity = anova(rows.map((r) => ({ n: Number(r['n']), sum: Number(r['s']), sumSq: Number(r['q']) })));
  } else
    heterogeneity = accuracyHeterogeneity(
      folds.map((f) => ({ correct: Math.round((f.metrics as { accuracy: { value: number } }).accuracy.value * f.n), n: f.n })),
    );
  const threshold = spec.task === 'binary' ? spec.threshold : null;
  return { kind: 'fixed', report: { ...base, folds, ...summarise(folds, metric, heterogeneity), threshold } };
}
