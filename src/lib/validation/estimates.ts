/**
 * A metric measured on one sample with what its interval needs (the count behind a rate, or the variance of
 * the estimate), and the gap between two independent samples with its interval: Newcombe's hybrid score
 * interval for rates, DeLong's variance for ROC AUC, Welch's normal interval for means of per-row losses and
 * errors, the delta method for RMSE, and the Poisson bootstrap for F1 and average precision.
 */
import { coarsen } from '../metrics/bootstrap';
import type { Confusion } from '../metrics/confusion';
import { delongVariance } from '../metrics/delong';
import { differenceInterval, newcombeInterval, percentileInterval, poisson, seededRandom } from '../metrics/intervals';
import { LOG_LOSS_EPS, averagePrecision, brierScore, logLoss, rocAuc } from '../metrics/scoreMetrics';
import { confusionAt, scoreTableFromCounts, type ScoreTable } from '../metrics/scoreTable';
import type { Interval, MetricValue } from '../metrics/value';
import { VALIDATION_DEFAULTS } from './defaults';

export interface Estimate {
  value: number;
  /** A rate: k of n. */
  count?: { k: number; n: number };
  /** The variance of the estimate, and the interval method it gives (normal or DeLong). */
  variance?: { v: number; method: 'normal' | 'delong' };
  /** Draws the estimate on a Poisson-resampled copy of its sample (percentile bootstrap). */
  resample?: (random: () => number) => number;
}

/** Metrics where smaller is better: their gap is test - train. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['log_loss', 'brier', 'fpr', 'fnr', 'mae', 'rmse', 'mape', 'max_error']);

export interface Gap {
  /** How much worse the held-out data is: train - test, or test - train where smaller is better. */
  gap: number;
  interval?: Interval;
  /** Why there is no interval. */
  reason?: string;
}

const BOOTSTRAP_REPLICATES = 400;

/** The gap between the training and the held-out estimate of `metric`, with its interval. */
export function gapOf(metric: string, train: Estimate, test: Estimate, level: number = VALIDATION_DEFAULTS.level): Gap {
  const lower = LOWER_IS_BETTER.has(metric);
  const [a, b] = lower ? [test, train] : [train, test];
  const gap = a.value - b.value;
  if (a.count && b.count) {
    const interval = newcombeInterval(a.count.k, a.count.n, b.count.k, b.count.n, level);
    return interval ? { gap, interval } : { gap, reason: 'a side has no rows' };
  }
  if (a.variance && b.variance) {
    const interval = differenceInterval(gap, a.variance.v, b.variance.v, a.variance.method, level);
    return interval ? { gap, interval } : { gap, reason: 'the variance is not finite' };
  }
  if (a.resample && b.resample) {
    const random = seededRandom(VALIDATION_DEFAULTS.seed);
    const draws: number[] = [];
    for (let r = 0; r < BOOTSTRAP_REPLICATES; r++) draws.push(a.resample(random) - b.resample(random));
    const interval = percentileInterval(draws, level);
    return interval ? { gap, interval } : { gap, reason: 'too few resamples had the metric defined' };
  }
  return { gap, reason: `no interval for ${metric}` };
}

/** The rates of a confusion matrix as counts (Newcombe's interval for their gaps). */
export function confusionEstimates(c: Confusion): Record<string, Estimate> {
  const out: Record<string, Estimate> = {};
  const add = (name: string, k: number, n: number) => {
    if (n > 0) out[name] = { value: k / n, count: { k, n } };
  };
  const pos = c.tp + c.fn;
  const neg = c.tn + c.fp;
  add('accuracy', c.tp + c.tn, pos + neg);
  add('precision', c.tp, c.tp + c.fp);
  add('recall', c.tp, pos);
  add('specificity', c.tn, neg);
  add('fpr', c.fp, neg);
  add('fnr', c.fn, pos);
  const f1Den = 2 * c.tp + c.fp + c.fn;
  if (f1Den > 0)
    out['f1'] = {
      value: (2 * c.tp) / f1Den,
      // F1 depends on the cells only: Poisson weights per cell resample the rows exactly.
      resample: (random) => {
        const tp = poisson(c.tp, random);
        const d = 2 * tp + poisson(c.fp, random) + poisson(c.fn, random);
        return d > 0 ? (2 * tp) / d : NaN;
      },
    };
  return out;
}

/** Mean and variance of a per-row loss from the score table (every row of one score and label has one loss). */
function lossEstimate(t: ScoreTable, metric: MetricValue, loss: (s: number, y: 0 | 1) => number): Estimate | undefined {
  const n = t.positives + t.negatives;
  if (n < 2 || !metric.defined) return undefined;
  const mean = metric.value;
  let ss = 0;
  for (let i = 0; i < t.scores.length; i++)
    ss += t.pos[i]! * (loss(t.scores[i]!, 1) - mean) ** 2 + t.neg[i]! * (loss(t.scores[i]!, 0) - mean) ** 2;
  return { value: mean, variance: { v: ss / (n - 1) / n, method: 'normal' } };
}

const clip = (s: number) => Math.min(Math.max(s, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);

/** Every metric of a binary classifier with scores at a threshold, as estimates. */
export function scoreEstimates(t: ScoreTable, threshold: number): Record<string, Estimate> {
  const out = confusionEstimates(confusionAt(t, threshold));
  const d = delongVariance(t);
  const auc = rocAuc(t);
  if (d && auc.defined) out['roc_auc'] = { value: auc.value, variance: { v: d.variance, method: 'delong' } };
  const g = t.scores.length;
  const probabilities = g > 0 && t.scores[0]! >= 0 && t.scores[g - 1]! <= 1;
  if (probabilities) {
    const ll = lossEstimate(t, logLoss(t), (s, y) => -Math.log(y ? clip(s) : 1 - clip(s)));
    if (ll) out['log_loss'] = ll;
    const brier = lossEstimate(t, brierScore(t), (s, y) => (y - s) ** 2);
    if (brier) out['brier'] = brier;
  }
  const ap = averagePrecision(t);
  if (ap.defined) {
    const base = t.scores.length > 2000 ? coarsen(t, 2000) : t;
    // The bootstrap runs on merged neighbouring scores above 2,000 distinct scores; the point estimate is exact.
    const shift = base === t ? 0 : ap.value - (averagePrecision(base) as { value: number }).value;
    const pos = new Float64Array(base.scores.length);
    const neg = new Float64Array(base.scores.length);
    out['average_precision'] = {
      value: ap.value,
      resample: (random) => {
        for (let i = 0; i < base.scores.length; i++) {
          pos[i] = poisson(base.pos[i]!, random);
          neg[i] = poisson(base.neg[i]!, random);
        }
        const m = averagePrecision(scoreTableFromCounts(base.scores, pos, neg));
        return m.defined ? m.value + shift : NaN;
      },
    };
  }
  return out;
}

/** Regression metrics from one row of regression sums (src/lib/metrics/regression.ts), as estimates. */
export function regressionEstimates(row: Record<string, unknown>): Record<string, Estimate> {
  const num = (name: string) => Number(row[name] ?? 0);
  const n = num('n');
  const out: Record<string, Estimate> = {};
  if (n < 2) return out;
  const mean = (sum: number, sumSq: number): Estimate => {
    const m = sum / n;
    return { value: m, variance: { v: Math.max(0, (sumSq - n * m * m) / (n - 1)) / n, method: 'normal' } };
  };
  out['mae'] = mean(num('sae'), num('sae2'));
  out['mape'] = mean(num('sape'), num('sape2'));
  const mse = mean(num('sse'), num('sse2'));
  const rmse = Math.sqrt(mse.value);
  // Delta method: var(sqrt(m)) ~ var(m) / (4 m).
  out['rmse'] = { value: rmse, variance: { v: rmse > 0 ? mse.variance!.v / (4 * mse.value) : 0, method: 'normal' } };
  return out;
}
