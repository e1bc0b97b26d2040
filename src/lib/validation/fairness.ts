/**
 * Fairness across sensitive columns and their intersections: per group the selection rate, TPR, FPR and
 * precision (Wilson intervals) and the task's metrics, and the disparities exactly as fairlearn defines
 * them with method="between_groups" (fairlearn.metrics.demographic_parity_difference / _ratio,
 * equalized_odds_difference / _ratio): the largest group value minus the smallest, the smallest over the
 * largest; equalized odds is the larger of the TPR and FPR differences and the smaller of their ratios.
 * Groups below the minimum size are reported but left out of the disparities (fairlearn would count them;
 * a group of five rows swings any rate).
 */
import { rowsOf } from '../sql';
import type { Db } from '../db';
import { LanternError } from '../errors';
import { binaryMetricsAt, binaryMetricsFromConfusion, type BinaryMetrics } from '../metrics/binary';
import { binaryRates, type Confusion } from '../metrics/confusion';
import { delongVariance } from '../metrics/delong';
import { binaryByGroupSql } from '../metrics/groupedBinary';
import { loadGroupedScoreCounts, type ScoreCountGroup } from '../metrics/groupedScores';
import { wilsonInterval } from '../metrics/intervals';
import { metricsByGroup, type AnyMetrics } from '../metrics/performance';
import { confusionAt } from '../metrics/scoreTable';
import type { PerfSpec } from '../metrics/spec';
import { defined, ratio, undefinedMetric, withInterval, type MetricValue } from '../metrics/value';
import { describeTable } from '../schema';
import { sliceDimensions, type Dimension } from '../slices/dimensions';
import { VALIDATION_DEFAULTS } from './defaults';

export type GroupValue = string | number | boolean | null;

export interface FairnessGroup {
  /** The group's value of each sensitive column (a quantile group's label; null = missing). */
  values: GroupValue[];
  label: string;
  /** Labelled rows (with a score, when there is one). */
  n: number;
  positives: number;
  /** Rows predicted positive (binary). */
  predictedPositive: number | null;
  /** At least the minimum size: takes part in the disparities. */
  ranked: boolean;
  selection_rate: MetricValue;
  tpr: MetricValue;
  fpr: MetricValue;
  precision: MetricValue;
  metrics: AnyMetrics;
}

export interface FairnessReport {
  sensitive: string[];
  /** The threshold the binary predictions come from (null: predicted labels, or not binary). */
  threshold: number | null;
  minGroupSize: number;
  groups: FairnessGroup[];
  demographic_parity_difference: MetricValue;
  demographic_parity_ratio: MetricValue;
  equalized_odds_difference: MetricValue;
  equalized_odds_ratio: MetricValue;
}

/** What a fairness report at any threshold rests on: per group, the counts per distinct score (or the confusion). */
export interface FairnessCounts {
  sensitive: string[];
  task: PerfSpec['task'];
  dims: Dimension[];
  /** Binary with a score: per-group score counts, any threshold in JS. */
  scored?: ScoreCountGroup[];
  /** Otherwise: the metrics per group at the session's predictions. */
  fixed?: { key: number[]; metrics: AnyMetrics; confusion?: Confusion }[];
  threshold: number | null;
}

/** A rate with its Wilson interval, or undefined with the reason. */
function rate(k: number, n: number, reason: string): MetricValue {
  return n > 0 ? defined(k / n, wilsonInterval(k, n)) : undefinedMetric(reason);
}

/** The dimensions that define the groups: a column's values, or quantile groups of a number with many values. */
export async function sensitiveDimensions(db: Db, table: string, sensitive: string[], signal?: AbortSignal): Promise<Dimension[]> {
  if (sensitive.length === 0) throw new LanternError('usage', 'Choose at least one sensitive column to compare groups by.');
  const columns = await describeTable(db, table);
  const out: Dimension[] = [];
  for (const name of sensitive) {
    const column = columns.find((c) => c.name === name);
    if (!column)
      throw new LanternError(
        'usage',
        `There is no column "${name}" to compare groups by. Columns: ${columns
          .map((c) => c.name)
          .slice(0, 30)
          .join(', ')}.`,
      );
    const [dim] = await sliceDimensions(
      db,
      table,
      [column],
      { [name]: 'segment' },
      {
        maxValues: VALIDATION_DEFAULTS.maxGroups,
        bins: VALIDATION_DEFAULTS.groupBins,
        ...(signal ? { signal } : {}),
      },
    );
    if (!dim)
      throw new LanternError(
        'usage',
        `"${name}" cannot define groups: it has a single value, or a different value in most rows. Choose a column of categories.`,
      );
    out.push(dim);
  }
  return out;
}

function groupValue(dim: Dimension, code: number): { value: GroupValue; label: string } {
  const v = dim.values[code - 1];
  if (!v) return { value: '(other)', label: `${dim.name} = (other)` };
  if (v.predicate.op === 'is null') return { value: null, label: `${dim.name} is missing` };
  if (v.predicate.op === '=') return { value: v.predicate.value as string | number | boolean, label: v.label };
  return { value: v.label, label: v.label };
}

/** Loads the per-group counts for a set of sensitive columns (their intersection). */
export async function loadFairnessCounts(db: Db, spec: PerfSpec, sensitive: string[], signal?: AbortSignal): Promise<FairnessCounts> {
  const dims = await sensitiveDimensions(db, spec.table, sensitive, signal);
  const keys = dims.map((d) => d.codeSql);
  const base = { sensitive, task: spec.task, dims };
  if (spec.task === 'binary' && spec.score) {
    const scored = await loadGroupedScoreCounts(db, spec, keys, signal ? { signal } : {});
    return { ...base, scored, threshold: spec.threshold };
  }
  const groupKeys = keys.map((sql, i) => ({ sql, as: `g${i}` }));
  if (spec.task === 'binary') {
    const rows = await rowsOf(db, binaryByGroupSql(spec, groupKeys), signal ? { signal } : {});
    const fixed = rows.map(({ key, row }) => {
      const confusion = { tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn };
      return { key: key.map(Number), metrics: binaryMetricsFromConfusion(confusion), confusion };
    });
    return { ...base, fixed, threshold: null };
  }
  const groups = await metricsByGroup(db, spec, groupKeys, signal ? { signal } : {});
  return { ...base, fixed: groups.map((g) => ({ key: groupKeys.map((k) => Number(g.key[k.as])), metrics: g.metrics })), threshold: null };
}

function withAucInterval(metrics: BinaryMetrics, table: Parameters<typeof delongVariance>[0]): BinaryMetrics {
  const d = delongVariance(table);
  if (!d || !metrics.roc_auc.defined) return metrics;
  const half = 1.959963984540054 * Math.sqrt(d.variance);
  const interval = { lo: Math.max(0, d.auc - half), hi: Math.min(1, d.auc + half), method: 'delong' as const, level: 0.95 };
  return { ...metrics, roc_auc: withInterval(metrics.roc_auc, interval) };
}

function binaryGroup(
  values: { value: GroupValue; label: string }[],
  c: Confusion,
  metrics: AnyMetrics,
  minGroupSize: number,
): FairnessGroup {
  const n = c.tp + c.fp + c.tn + c.fn;
  const rates = binaryRates(c);
  return {
    values: values.map((v) => v.value),
    label: values.map((v) => v.label).join(', '),
    n,
    positives: c.tp + c.fn,
    predictedPositive: c.tp + c.fp,
    ranked: n >= minGroupSize,
    selection_rate: rate(c.tp + c.fp, n, 'no labelled rows'),
    tpr: rates.recall,
    fpr: rates.fpr,
    precision: rates.precision,
    metrics,
  };
}

const NOT_BINARY = 'demographic parity and equalized odds are defined for binary classifiers';

/** The report at a threshold, from the cached counts: a binary search per group, no query. */
export function fairnessAt(
  counts: FairnessCounts,
  threshold: number | null,
  minGroupSize: number = VALIDATION_DEFAULTS.minGroupSize,
): FairnessReport {
  const { dims } = counts;
  const label = (key: number[]) => key.map((code, i) => groupValue(dims[i]!, code));
  const groups: FairnessGroup[] = [];
  if (counts.scored) {
    const t = threshold ?? counts.threshold ?? 0.5;
    for (const g of counts.scored) {
      if (!g.table) continue;
      const metrics = withAucInterval(binaryMetricsAt(g.table, t, g.free), g.table);
      groups.push(binaryGroup(label(g.key), confusionAt(g.table, t), metrics, minGroupSize));
    }
  } else
    for (const g of counts.fixed ?? []) {
      if (g.confusion) {
        groups.push(binaryGroup(label(g.key), g.confusion, g.metrics, minGroupSize));
        continue;
      }
      const none = undefinedMetric(NOT_BINARY);
      groups.push({
        values: label(g.key).map((v) => v.value),
        label: label(g.key)
          .map((v) => v.label)
          .join(', '),
        n: g.metrics.n,
        positives: 0,
        predictedPositive: null,
        ranked: g.metrics.n >= minGroupSize,
        selection_rate: none,
        tpr: none,
        fpr: none,
        precision: none,
        metrics: g.metrics,
      });
    }
  const binary = counts.task === 'binary';
  return {
    sensitive: counts.sensitive,
    threshold: counts.scored ? (threshold ?? counts.threshold) : null,
    minGroupSize,
    groups,
    ...disparities(groups, binary),
  };
}

interface Spread {
  max: number;
  min: number;
}

/** What the disparities read of a group. */
type Compared = Pick<FairnessGroup, 'ranked' | 'selection_rate' | 'tpr' | 'fpr'>;

function spread(groups: Compared[], pick: (g: Compared) => MetricValue): Spread | string {
  const values = groups
    .map(pick)
    .filter((m) => m.defined)
    .map((m) => (m as { value: number }).value);
  if (values.length < 2) return 'fewer than two groups large enough to compare';
  return { max: Math.max(...values), min: Math.min(...values) };
}

const difference = (s: Spread | string): MetricValue => (typeof s === 'string' ? undefinedMetric(s) : defined(s.max - s.min));
const ratioOf = (s: Spread | string, what: string): MetricValue =>
  typeof s === 'string' ? undefinedMetric(s) : s.max > 0 ? defined(s.min / s.max) : undefinedMetric(`no group has a ${what} above 0`);

/**
 * fairlearn's between-groups disparities over the ranked groups. A group whose TPR (no positive labels) or
 * FPR (no negative labels) is undefined takes no part in that rate's spread.
 */
export function disparities(
  groups: Compared[],
  binary = true,
): Omit<FairnessReport, 'sensitive' | 'threshold' | 'minGroupSize' | 'groups'> {
  if (!binary) {
    const none = undefinedMetric(NOT_BINARY);
    return {
      demographic_parity_difference: none,
      demographic_parity_ratio: none,
      equalized_odds_difference: none,
      equalized_odds_ratio: none,
    };
  }
  const ranked = groups.filter((g) => g.ranked);
  const sel = spread(ranked, (g) => g.selection_rate);
  const tpr = spread(ranked, (g) => g.tpr);
  const fpr = spread(ranked, (g) => g.fpr);
  const tprD = difference(tpr);
  const fprD = difference(fpr);
  const tprR = ratioOf(tpr, 'true positive rate');
  const fprR = ratioOf(fpr, 'false positive rate');
  const both = (a: MetricValue, b: MetricValue, pick: (x: number, y: number) => number): MetricValue =>
    a.defined && b.defined ? defined(pick(a.value, b.value)) : a.defined ? b : a;
  return {
    demographic_parity_difference: difference(sel),
    demographic_parity_ratio: ratioOf(sel, 'selection rate'),
    equalized_odds_difference: both(tprD, fprD, Math.max),
    equalized_odds_ratio: both(tprR, fprR, Math.min),
  };
}

export interface FairnessSweepPoint {
  threshold: number;
  demographic_parity_difference: number | null;
  equalized_odds_difference: number | null;
  /** Accuracy over every labelled row of the groups (small ones included). */
  accuracy: number | null;
}

/**
 * The trade-off the threshold slider moves along: fairlearn's differences and the overall accuracy at
 * thresholds 0.01 ... 0.99, from the per-group score counts (binary with scores; empty otherwise).
 */
export function fairnessSweep(
  counts: FairnessCounts,
  minGroupSize: number = VALIDATION_DEFAULTS.minGroupSize,
  steps = 99,
): FairnessSweepPoint[] {
  if (!counts.scored) return [];
  const tables = counts.scored.flatMap((g) => (g.table ? [g.table] : []));
  const out: FairnessSweepPoint[] = [];
  for (let i = 1; i <= steps; i++) {
    const threshold = i / (steps + 1);
    const groups: Compared[] = [];
    let correct = 0;
    let n = 0;
    for (const t of tables) {
      const c = confusionAt(t, threshold);
      correct += c.tp + c.tn;
      n += c.tp + c.tn + c.fp + c.fn;
      const rates = binaryRates(c);
      const rows = c.tp + c.tn + c.fp + c.fn;
      groups.push({ ranked: rows >= minGroupSize, selection_rate: ratio(c.tp + c.fp, rows, 'no rows'), tpr: rates.recall, fpr: rates.fpr });
    }
    const d = disparities(groups);
    out.push({
      threshold,
      demographic_parity_difference: d.demographic_parity_difference.defined ? d.demographic_parity_difference.value : null,
      equalized_odds_difference: d.equalized_odds_difference.defined ? d.equalized_odds_difference.value : null,
      accuracy: n > 0 ? correct / n : null,
    });
  }
  return out;
}
