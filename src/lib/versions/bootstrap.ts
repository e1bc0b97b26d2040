/**
 * Bootstrap intervals of the difference between two versions for the metrics without a closed-form test
 * (F1, precision, recall, average precision, log loss, Brier, and AUC beside DeLong). Seeded, with the
 * project's Poisson bootstrap (src/lib/metrics/intervals.ts): resampling rows with Poisson(1) weights.
 * Paired: one weight per row serves both versions (the rows they share move together, which is what
 * makes the paired interval narrower). Split: each version's rows are resampled on their own, through
 * the grouped score counts as `bootstrapScoreIntervals` does.
 */
import { binaryRates } from '../metrics/confusion';
import { percentileInterval, poisson, seededRandom } from '../metrics/intervals';
import { averagePrecision, brierScore, logLoss, rocAuc } from '../metrics/scoreMetrics';
import { confusionAt, scoreTableFromCounts, type ScoreTable } from '../metrics/scoreTable';
import type { MetricValue } from '../metrics/value';
import type { BootstrapDifference } from './types';

export const BOOTSTRAP_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'average_precision', 'log_loss', 'brier'] as const;
export type BootstrapMetric = (typeof BOOTSTRAP_METRICS)[number];

export interface BootstrapOptions {
  replicates?: number;
  seed?: number;
  level?: number;
}

const value = (m: MetricValue) => (m.defined ? m.value : NaN);

function metricsOf(t: ScoreTable, threshold: number): Record<BootstrapMetric, number> {
  const rates = binaryRates(confusionAt(t, threshold));
  return {
    accuracy: value(rates.accuracy),
    precision: value(rates.precision),
    recall: value(rates.recall),
    f1: value(rates.f1),
    roc_auc: value(rocAuc(t)),
    average_precision: value(averagePrecision(t)),
    log_loss: value(logLoss(t)),
    brier: value(brierScore(t)),
  };
}

/** Rows grouped by distinct score: the group of each row and the ascending distinct scores. */
interface Grouped {
  scores: Float64Array;
  group: Int32Array;
}

function groupScores(score: Float64Array): Grouped {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  const scores: number[] = [];
  const group = new Int32Array(score.length);
  for (const i of order) {
    const s = score[i]!;
    if (scores.length === 0 || scores[scores.length - 1] !== s) scores.push(s);
    group[i] = scores.length - 1;
  }
  return { scores: Float64Array.from(scores), group };
}

function weightedTable(g: Grouped, y: Uint8Array, weights: Float64Array): ScoreTable {
  const pos = new Float64Array(g.scores.length);
  const neg = new Float64Array(g.scores.length);
  for (let r = 0; r < y.length; r++) {
    const w = weights[r]!;
    if (w === 0) continue;
    if (y[r]) pos[g.group[r]!]! += w;
    else neg[g.group[r]!]! += w;
  }
  return scoreTableFromCounts(g.scores, pos, neg);
}

function intervals(
  point: Record<BootstrapMetric, number>,
  draws: Record<BootstrapMetric, number[]>,
  level: number,
  replicates: number,
): Record<string, BootstrapDifference> {
  const out: Record<string, BootstrapDifference> = {};
  for (const m of BOOTSTRAP_METRICS) {
    const interval = percentileInterval(draws[m], level);
    if (!interval || !Number.isFinite(point[m])) continue;
    out[m] = { difference: point[m], lo: interval.lo, hi: interval.hi, level, replicates };
  }
  return out;
}

function emptyDraws(): Record<BootstrapMetric, number[]> {
  return Object.fromEntries(BOOTSTRAP_METRICS.map((m) => [m, []])) as unknown as Record<BootstrapMetric, number[]>;
}

/** Same rows, two scores: challenger minus champion per replicate, one Poisson weight per row for both. */
export function pairedBootstrap(
  y: Uint8Array,
  champion: Float64Array,
  challenger: Float64Array,
  threshold: number,
  options: BootstrapOptions = {},
): Record<string, BootstrapDifference> {
  const { replicates = 200, seed = 20240611, level = 0.95 } = options;
  const a = groupScores(champion);
  const b = groupScores(challenger);
  const ones = new Float64Array(y.length).fill(1);
  const pa = metricsOf(weightedTable(a, y, ones), threshold);
  const pb = metricsOf(weightedTable(b, y, ones), threshold);
  const point = Object.fromEntries(BOOTSTRAP_METRICS.map((m) => [m, pb[m] - pa[m]])) as Record<BootstrapMetric, number>;
  const random = seededRandom(seed);
  const draws = emptyDraws();
  const w = new Float64Array(y.length);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < w.length; i++) w[i] = poisson(1, random);
    const ma = metricsOf(weightedTable(a, y, w), threshold);
    const mb = metricsOf(weightedTable(b, y, w), threshold);
    for (const m of BOOTSTRAP_METRICS) draws[m].push(mb[m] - ma[m]);
  }
  return intervals(point, draws, level, replicates);
}

/** Independent rows per version (split): each version's score table resampled on its own. */
export function unpairedBootstrap(
  baseline: ScoreTable,
  other: ScoreTable,
  threshold: number,
  options: BootstrapOptions = {},
): Record<string, BootstrapDifference> {
  const { replicates = 200, seed = 20240611, level = 0.95 } = options;
  const pa = metricsOf(baseline, threshold);
  const pb = metricsOf(other, threshold);
  const point = Object.fromEntries(BOOTSTRAP_METRICS.map((m) => [m, pb[m] - pa[m]])) as Record<BootstrapMetric, number>;
  const random = seededRandom(seed);
  const draws = emptyDraws();
  const resample = (t: ScoreTable) => {
    const pos = new Float64Array(t.scores.length);
    const neg = new Float64Array(t.scores.length);
    for (let i = 0; i < t.scores.length; i++) {
      pos[i] = poisson(t.pos[i]!, random);
      neg[i] = poisson(t.neg[i]!, random);
    }
    return scoreTableFromCounts(t.scores, pos, neg);
  };
  for (let r = 0; r < replicates; r++) {
    const ma = metricsOf(resample(baseline), threshold);
    const mb = metricsOf(resample(other), threshold);
    for (const m of BOOTSTRAP_METRICS) draws[m].push(mb[m] - ma[m]);
  }
  return intervals(point, draws, level, replicates);
}
