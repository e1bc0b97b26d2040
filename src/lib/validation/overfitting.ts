/**
 * Over-fitting: the model's metrics on its training data against held-out data, the gap (how much worse the
 * held-out data is) with its interval, and the slices where the gap is largest - the slicing dimensions of
 * the slices core, cut on the held-out data and applied to both.
 */
import { rowsOf } from '../sql';
import type { Db } from '../db';
import type { Confusion } from '../metrics/confusion';
import { binaryByGroupSql } from '../metrics/groupedBinary';
import { loadGroupedScoreCounts, type ScoreCountGroup } from '../metrics/groupedScores';
import { flatMetrics, METRIC_NAMES, metricsByGroup, overallPerformance, type AnyMetrics } from '../metrics/performance';
import { regressionSumsSql } from '../metrics/regression';
import { loadScoreTable, type ScoreTable } from '../metrics/scoreTable';
import type { PerfSpec, Task } from '../metrics/spec';
import type { Interval } from '../metrics/value';
import { describeTable } from '../schema';
import type { Dimension, SlicePredicate } from '../slices/dimensions';
import { VALIDATION_DEFAULTS } from './defaults';
import { confusionEstimates, gapOf, LOWER_IS_BETTER, regressionEstimates, scoreEstimates, type Estimate } from './estimates';

export interface MetricGap {
  metric: string;
  train: number | null;
  test: number | null;
  /** How much worse the held-out data is: train - test, or test - train for losses and error rates. */
  gap: number | null;
  interval: Interval | null;
  /** Why there is no gap or no interval. */
  reason?: string;
}

export interface SliceGap {
  label: string;
  predicate: SlicePredicate;
  trainRows: number;
  testRows: number;
  train: number;
  test: number;
  gap: number;
  interval: Interval | null;
}

export interface OverfittingReport {
  task: Task;
  threshold: number | null;
  metrics: MetricGap[];
  /** The metric the slices are ranked by. */
  sliceMetric: string;
  /** Largest gap first. */
  slices: SliceGap[];
  /** Slices with fewer rows than the minimum on either side. */
  slicesTooSmall: number;
  slicesCompared: number;
  minRows: number;
}

/** Metrics no threshold changes. */
const THRESHOLD_FREE: ReadonlySet<string> = new Set(['roc_auc', 'average_precision', 'log_loss', 'brier']);

type Side = { estimates: Record<string, Estimate>; flat: Record<string, number | null> };

/** What the report at any threshold rests on (binary with scores); other tasks compute it once. */
export type OverfittingCache =
  | {
      kind: 'scored';
      train: ScoreTable;
      test: ScoreTable;
      slices: { dim: Dimension; train: ScoreCountGroup[]; test: ScoreCountGroup[] }[];
      threshold: number;
      /** What no threshold changes, computed on first use. */
      memo?: { gaps: Map<string, MetricGap>; slices: Map<string, ReturnType<typeof rankSlices>> };
    }
  | { kind: 'fixed'; report: OverfittingReport };

/** The metric the slices are ranked by, and the train-test gap check's default. */
export function mainMetric(spec: Pick<PerfSpec, 'task' | 'score'>): string {
  if (spec.task === 'binary') return spec.score ? 'roc_auc' : 'accuracy';
  return spec.task === 'multiclass' ? 'accuracy' : 'mae';
}

function metricGaps(task: Task, a: Side, b: Side, known: (metric: string) => MetricGap | undefined = () => undefined): MetricGap[] {
  return METRIC_NAMES[task].map((metric) => {
    const kept = known(metric);
    if (kept) return kept;
    const train = a.flat[metric] ?? null;
    const test = b.flat[metric] ?? null;
    if (train === null || test === null)
      return {
        metric,
        train,
        test,
        gap: null,
        interval: null,
        reason: `${metric} is undefined on the ${train === null ? 'training' : 'held-out'} data`,
      };
    const ea = a.estimates[metric];
    const eb = b.estimates[metric];
    if (!ea || !eb) {
      const lower = metric === 'mean_error' ? Math.abs(test) - Math.abs(train) : null;
      const gap = lower ?? (LOWER_IS_BETTER.has(metric) ? test - train : train - test);
      return { metric, train, test, gap, interval: null, reason: `no interval for ${metric}` };
    }
    const g = gapOf(metric, ea, eb);
    return { metric, train, test, gap: g.gap, interval: g.interval ?? null, ...(g.reason ? { reason: g.reason } : {}) };
  });
}

function confusionOf(row: Record<string, unknown>): Confusion {
  return { tp: Number(row['tp'] ?? 0), fp: Number(row['fp'] ?? 0), tn: Number(row['tn'] ?? 0), fn: Number(row['fn'] ?? 0) };
}

async function side(db: Db, spec: PerfSpec, signal?: AbortSignal): Promise<Side> {
  const overall = await overallPerformance(db, spec, { pointOnly: true, ...(signal ? { signal } : {}) });
  const flat = flatMetrics(spec.task, overall.metrics);
  let estimates: Record<string, Estimate> = {};
  if (spec.task === 'binary') {
    const [first] = await rowsOf(db, binaryByGroupSql(spec, []), signal ? { signal } : {});
    estimates = confusionEstimates(confusionOf(first?.row ?? {}));
  } else if (spec.task === 'multiclass') {
    const m = overall.metrics as { n: number; accuracy: { defined: boolean; value?: number } };
    if (m.accuracy.defined)
      estimates = { accuracy: { value: m.accuracy.value!, count: { k: Math.round(m.accuracy.value! * m.n), n: m.n } } };
  } else {
    const [first] = await rowsOf(db, regressionSumsSql(spec), signal ? { signal } : {});
    estimates = regressionEstimates(first?.row ?? {});
  }
  return { estimates, flat };
}

function sliceEstimate(metric: string, metrics: AnyMetrics): Estimate | undefined {
  const m = (metrics as unknown as Record<string, { defined: boolean; value?: number; interval?: Interval }>)[metric];
  if (!m?.defined) return undefined;
  if (metric === 'accuracy') return { value: m.value!, count: { k: Math.round(m.value! * metrics.n), n: metrics.n } };
  // Per-group normal intervals (regression errors) give the estimate's variance back.
  if (m.interval && m.interval.method === 'normal') {
    const se = (m.interval.hi - m.interval.lo) / (2 * 1.959963984540054);
    return { value: m.value!, variance: { v: se * se, method: 'normal' } };
  }
  return { value: m.value! };
}

function rankSlices(
  candidates: { dim: Dimension; code: number; train: { n: number; e?: Estimate }; test: { n: number; e?: Estimate } }[],
  metric: string,
  minRows: number,
): Pick<OverfittingReport, 'slices' | 'slicesTooSmall' | 'slicesCompared'> {
  const slices: SliceGap[] = [];
  let tooSmall = 0;
  for (const c of candidates) {
    const value = c.dim.values[c.code - 1];
    if (!value) continue;
    if (c.train.n < minRows || c.test.n < minRows) {
      tooSmall++;
      continue;
    }
    if (!c.train.e || !c.test.e) continue;
    const g = gapOf(metric, c.train.e, c.test.e);
    slices.push({
      label: value.label,
      predicate: value.predicate,
      trainRows: c.train.n,
      testRows: c.test.n,
      train: c.train.e.value,
      test: c.test.e.value,
      gap: g.gap,
      interval: g.interval ?? null,
    });
  }
  slices.sort((a, b) => b.gap - a.gap);
  return { slices, slicesTooSmall: tooSmall, slicesCompared: slices.length };
}

function scoredSliceCandidates(cache: Extract<OverfittingCache, { kind: 'scored' }>, metric: string, threshold: number) {
  const out: Parameters<typeof rankSlices>[0] = [];
  for (const s of cache.slices) {
    const train = new Map(s.train.map((g) => [g.key[0]!, g]));
    for (const g of s.test) {
      const code = g.key[0]!;
      const other = train.get(code);
      if (code === 0 || !other) continue;
      const pick = (x: ScoreCountGroup) =>
        x.table ? { n: x.table.positives + x.table.negatives, e: scoreEstimates(x.table, threshold)[metric] } : { n: 0 };
      out.push({ dim: s.dim, code, train: pick(other), test: pick(g) });
    }
  }
  return out;
}

/** The report at a threshold from the cached score counts (binary with scores), or the fixed one. */
export function overfittingAt(
  cache: OverfittingCache,
  threshold: number | null,
  options: { sliceMetric?: string; minRows?: number; top?: number } = {},
): OverfittingReport {
  if (cache.kind === 'fixed') return cache.report;
  const t = threshold ?? cache.threshold;
  const metric = options.sliceMetric ?? 'roc_auc';
  const minRows = options.minRows ?? VALIDATION_DEFAULTS.sliceMinRows;
  const flat = (table: ScoreTable): Side => {
    const estimates = scoreEstimates(table, t);
    return { estimates, flat: Object.fromEntries(Object.entries(estimates).map(([k, e]) => [k, e.value])) };
  };
  // A slider move changes only the metrics of the confusion matrix: the threshold-free gaps (their
  // bootstrap and DeLong intervals) and a ranking by one of them are kept from the first call.
  const memo = (cache.memo ??= { gaps: new Map(), slices: new Map() });
  const sliceKey = `${metric}/${minRows}`;
  let ranked = THRESHOLD_FREE.has(metric) ? memo.slices.get(sliceKey) : undefined;
  if (!ranked) {
    ranked = rankSlices(scoredSliceCandidates(cache, metric, t), metric, minRows);
    if (THRESHOLD_FREE.has(metric)) memo.slices.set(sliceKey, ranked);
  }
  const gaps = metricGaps('binary', flat(cache.train), flat(cache.test), (name) =>
    THRESHOLD_FREE.has(name) ? memo.gaps.get(name) : undefined,
  );
  for (const g of gaps) if (THRESHOLD_FREE.has(g.metric)) memo.gaps.set(g.metric, g);
  return {
    task: 'binary',
    threshold: t,
    metrics: gaps,
    sliceMetric: metric,
    ...ranked,
    slices: ranked.slices.slice(0, options.top ?? VALIDATION_DEFAULTS.topSlices),
    minRows,
  };
}

/**
 * Loads what the over-fitting report needs: training and held-out specs over the same columns, and the
 * slicing dimensions (cut on the held-out data) whose columns the training data has too.
 */
export async function loadOverfitting(
  db: Db,
  train: PerfSpec,
  test: PerfSpec,
  dims: Dimension[],
  options: { sliceMetric?: string; minRows?: number; top?: number; signal?: AbortSignal } = {},
): Promise<OverfittingCache> {
  const { signal } = options;
  const trainColumns = new Set((await describeTable(db, train.table)).map((c) => c.name));
  // Slices on columns the training data has too (time parts say nothing about held-out data of another period).
  const sliceable = dims.filter((d) => d.kind !== 'time' && trainColumns.has(d.name));
  if (test.task === 'binary' && test.score && train.score) {
    const slices: Extract<OverfittingCache, { kind: 'scored' }>['slices'] = [];
    for (const dim of sliceable) {
      const trainGroups = await loadGroupedScoreCounts(db, train, [dim.codeSql], signal ? { signal } : {});
      slices.push({ dim, train: trainGroups, test: await loadGroupedScoreCounts(db, test, [dim.codeSql], signal ? { signal } : {}) });
    }
    return {
      kind: 'scored',
      train: await loadScoreTable(db, train, signal ? { signal } : {}),
      test: await loadScoreTable(db, test, signal ? { signal } : {}),
      slices,
      threshold: test.threshold,
    };
  }
  const metric = options.sliceMetric ?? mainMetric(test);
  const minRows = options.minRows ?? VALIDATION_DEFAULTS.sliceMinRows;
  const [a, b] = [await side(db, train, signal), await side(db, test, signal)];
  const candidates: Parameters<typeof rankSlices>[0] = [];
  for (const dim of sliceable) {
    const key = [{ sql: dim.codeSql, as: 'code' }];
    const trainGroups = await metricsByGroup(db, train, key, signal ? { signal } : {});
    const testGroups = await metricsByGroup(db, test, key, signal ? { signal } : {});
    const byCode = new Map(trainGroups.map((g) => [Number(g.key['code']), g.metrics]));
    for (const g of testGroups) {
      const code = Number(g.key['code']);
      const other = byCode.get(code);
      if (code === 0 || !other) continue;
      candidates.push({
        dim,
        code,
        train: { n: other.n, ...withEstimate(sliceEstimate(metric, other)) },
        test: { n: g.metrics.n, ...withEstimate(sliceEstimate(metric, g.metrics)) },
      });
    }
  }
  const ranked = rankSlices(candidates, metric, minRows);
  return {
    kind: 'fixed',
    report: {
      task: test.task,
      threshold: test.task === 'binary' && test.score ? test.threshold : null,
      metrics: metricGaps(test.task, a, b),
      sliceMetric: metric,
      ...ranked,
      slices: ranked.slices.slice(0, options.top ?? VALIDATION_DEFAULTS.topSlices),
      minRows,
    },
  };
}

const withEstimate = (e: Estimate | undefined) => (e ? { e } : {});
