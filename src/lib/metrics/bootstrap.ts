import { poisson, percentileInterval, seededRandom } from './intervals';
import { averagePrecision, brierScore, logLoss, rocAuc } from './scoreMetrics';
import { confusionAt, scoreTableFromCounts, type ScoreTable } from './scoreTable';
import type { Interval, MetricValue } from './value';

export interface BootstrapOptions {
  replicates?: number;
  seed?: number;
  level?: number;
  /** Above this many distinct scores the bootstrap runs on merged neighbouring scores (see below). */
  maxGroups?: number;
}

export interface ScoreIntervals {
  roc_auc?: Interval;
  average_precision?: Interval;
  log_loss?: Interval;
  brier?: Interval;
  f1?: Interval;
}

/** Merges neighbouring score groups into `groups` buckets of about equal row count, each at its mean score. */
export function coarsen(t: ScoreTable, groups: number): ScoreTable {
  const n = t.positives + t.negatives;
  const per = n / groups;
  const s: number[] = [];
  const p: number[] = [];
  const q: number[] = [];
  let rows = 0;
  let sum = 0;
  let pos = 0;
  let neg = 0;
  const flush = () => {
    if (rows === 0) return;
    const mean = sum / rows;
    // Keep the merged scores strictly ascending even when float rounding brings two means together.
    s.push(s.length > 0 && mean <= s[s.length - 1]! ? s[s.length - 1]! + Number.EPSILON : mean);
    p.push(pos);
    q.push(neg);
    rows = sum = pos = neg = 0;
  };
  for (let i = 0; i < t.scores.length; i++) {
    const c = t.pos[i]! + t.neg[i]!;
    rows += c;
    sum += c * t.scores[i]!;
    pos += t.pos[i]!;
    neg += t.neg[i]!;
    if (rows >= per) flush();
  }
  flush();
  return scoreTableFromCounts(s, p, q);
}

const v = (m: MetricValue) => (m.defined ? m.value : NaN);

/**
 * Percentile intervals for the score metrics by the Poisson bootstrap over the (score, label) counts:
 * each group of c rows gets a Poisson(c) weight per replicate, which is resampling rows with Poisson(1)
 * weights. Seeded, so the same data give the same interval. With more than `maxGroups` distinct scores
 * the replicates run on merged neighbouring scores (keeping the cost at groups x replicates) and the
 * interval is shifted by the gap between the exact and the merged point estimate; the point estimates
 * themselves are always exact.
 */
export function bootstrapScoreIntervals(t: ScoreTable, threshold: number, options: BootstrapOptions = {}): ScoreIntervals {
  const { replicates = 200, seed = 20240601, level = 0.95, maxGroups = 2000 } = options;
  const base = t.scores.length > maxGroups ? coarsen(t, maxGroups) : t;
  const random = seededRandom(seed);
  const metrics = {
    roc_auc: (x: ScoreTable) => v(rocAuc(x)),
    average_precision: (x: ScoreTable) => v(averagePrecision(x)),
    log_loss: (x: ScoreTable) => v(logLoss(x)),
    brier: (x: ScoreTable) => v(brierScore(x)),
  };
  const names = Object.keys(metrics) as (keyof typeof metrics)[];
  const draws: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const pos = new Float64Array(base.scores.length);
  const neg = new Float64Array(base.scores.length);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < base.scores.length; i++) {
      pos[i] = poisson(base.pos[i]!, random);
      neg[i] = poisson(base.neg[i]!, random);
    }
    const resampled = scoreTableFromCounts(base.scores, pos, neg);
    for (const name of names) draws[name]!.push(metrics[name](resampled));
  }
  const out: ScoreIntervals = {};
  for (const name of names) {
    const interval = percentileInterval(draws[name]!, level);
    if (!interval) continue;
    const shift = base === t ? 0 : metrics[name](t) - metrics[name](base);
    if (!Number.isFinite(shift)) continue;
    // Shifting must not leave the metric's range (all four are >= 0; all but log loss are <= 1).
    const hiLimit = name === 'log_loss' ? Infinity : 1;
    out[name] = { ...interval, lo: Math.max(0, interval.lo + shift), hi: Math.min(hiLimit, interval.hi + shift) };
  }
  // F1 depends on the scores only through the confusion matrix at the threshold, so its bootstrap runs
  // on the four cells (Poisson weights per cell), exactly, without merging scores.
  const c = confusionAt(t, threshold);
  const f1: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const tp = poisson(c.tp, random);
    const d = 2 * tp + poisson(c.fp, random) + poisson(c.fn, random);
    f1.push(d > 0 ? (2 * tp) / d : NaN);
  }
  const f1Interval = percentileInterval(f1, level);
  if (f1Interval) out.f1 = f1Interval;
  return out;
}
