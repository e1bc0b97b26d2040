import type { Db } from '../db';
import { raw, sql, type SqlLike } from '../sql';
import { loadGroupedScoreCounts, type ScoreCountGroup } from './groupedScores';
import { isotonicFit, isotonicPredict, type IsotonicFit } from './isotonic';
import { loadScoreTable } from './scoreTable';
import type { PerfSpec } from './spec';
import { CompensatedSum } from './sum';
import { ratio, undefinedMetric, type MetricValue } from './value';

export interface CbpeEstimate {
  /** Expected confusion matrix: sums of calibrated probabilities. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  accuracy: MetricValue;
  precision: MetricValue;
  recall: MetricValue;
  f1: MetricValue;
  specificity: MetricValue;
  roc_auc: MetricValue;
}

export interface CbpeWindow {
  start: number;
  /** Predictions with a score in the window (labels not needed). */
  n: number;
  estimated: CbpeEstimate;
}

/** Fits the calibrator on the reference's labelled scores. */
export async function fitCbpeCalibrator(db: Db, reference: PerfSpec, signal?: AbortSignal): Promise<IsotonicFit> {
  const t = await loadScoreTable(db, reference, { signal });
  const y = Array.from(t.scores, (_, i) => t.pos[i]! / (t.pos[i]! + t.neg[i]!));
  const w = Array.from(t.scores, (_, i) => t.pos[i]! + t.neg[i]!);
  return isotonicFit(t.scores, y, w);
}

export interface CbpeGroup {
  score: number;
  predictedPositive: boolean;
  count: number;
}

/**
 * Confidence-based performance estimation (NannyML's CBPE): with probabilities calibrated on the
 * reference, a row predicted positive with calibrated probability p is a true positive with probability p
 * and a false positive with probability 1 - p; summing gives the expected confusion matrix and from it the
 * expected metrics, without labels. The expected ROC AUC uses the calibrated probabilities as soft labels
 * in the tie-aware trapezoid (the Mann-Whitney form with soft counts). Groups must be sorted by score.
 */
export function cbpeEstimate(groups: CbpeGroup[], fit: IsotonicFit): CbpeEstimate {
  const tp = new CompensatedSum();
  const fp = new CompensatedSum();
  const fn = new CompensatedSum();
  const tn = new CompensatedSum();
  const auc = new CompensatedSum();
  let negBelow = 0;
  let softPos = 0;
  let softNeg = 0;
  // Rows of one score may split between predicted classes (a prediction column): pool them for the AUC.
  for (let i = 0; i < groups.length;) {
    let j = i;
    let gp = 0;
    let gn = 0;
    while (j < groups.length && groups[j]!.score === groups[i]!.score) {
      const g = groups[j]!;
      const p = isotonicPredict(fit, g.score);
      const pos = g.count * p;
      const neg = g.count * (1 - p);
      if (g.predictedPositive) {
        tp.add(pos);
        fp.add(neg);
      } else {
        fn.add(pos);
        tn.add(neg);
      }
      gp += pos;
      gn += neg;
      j++;
    }
    auc.add(gp * (negBelow + 0.5 * gn));
    negBelow += gn;
    softPos += gp;
    softNeg += gn;
    i = j;
  }
  const c = { tp: tp.value, fp: fp.value, fn: fn.value, tn: tn.value };
  return estimateFromConfusion(
    c,
    softPos > 0 && softNeg > 0
      ? ratio(auc.value, softPos * softNeg, '')
      : undefinedMetric('the calibrated probabilities expect one class only'),
  );
}

/**
 * CBPE of one window at any threshold: the calibrated probability of each distinct score is looked up
 * once, and the expected confusion matrix at a threshold is then prefix sums (rows at score >= threshold
 * are predicted positive). The expected ROC AUC does not depend on the threshold and is computed here.
 */
export interface CbpeCounts {
  scores: Float64Array;
  /** softPosBelow[i] = expected positives among rows with score below scores[i]; length scores + 1. */
  softPosBelow: Float64Array;
  softNegBelow: Float64Array;
  n: number;
  rocAuc: MetricValue;
}

export function cbpeCounts(scores: Float64Array, counts: Float64Array, fit: IsotonicFit): CbpeCounts {
  const g = scores.length;
  const softPosBelow = new Float64Array(g + 1);
  const softNegBelow = new Float64Array(g + 1);
  const pos = new CompensatedSum();
  const neg = new CompensatedSum();
  const auc = new CompensatedSum();
  let n = 0;
  for (let i = 0; i < g; i++) {
    const p = isotonicPredict(fit, scores[i]!);
    const gp = counts[i]! * p;
    const gn = counts[i]! * (1 - p);
    auc.add(gp * (neg.value + 0.5 * gn));
    pos.add(gp);
    neg.add(gn);
    softPosBelow[i + 1] = pos.value;
    softNegBelow[i + 1] = neg.value;
    n += counts[i]!;
  }
  const softPos = pos.value;
  const softNeg = neg.value;
  const rocAuc =
    softPos > 0 && softNeg > 0
      ? ratio(auc.value, softPos * softNeg, '')
      : undefinedMetric('the calibrated probabilities expect one class only');
  return { scores, softPosBelow, softNegBelow, n, rocAuc };
}

/** The expected confusion matrix and metrics at a threshold: a binary search, no rows. */
export function cbpeAt(c: CbpeCounts, threshold: number): CbpeEstimate {
  let lo = 0;
  let hi = c.scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.scores[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  const g = c.scores.length;
  const fn = c.softPosBelow[lo]!;
  const tn = c.softNegBelow[lo]!;
  return estimateFromConfusion({ tp: c.softPosBelow[g]! - fn, fp: c.softNegBelow[g]! - tn, fn, tn }, c.rocAuc);
}

function estimateFromConfusion(c: { tp: number; fp: number; fn: number; tn: number }, rocAuc: MetricValue): CbpeEstimate {
  const n = c.tp + c.fp + c.fn + c.tn;
  return {
    ...c,
    accuracy: ratio(c.tp + c.tn, n, 'no scored predictions'),
    precision: ratio(c.tp, c.tp + c.fp, 'the model predicts no positives'),
    recall: ratio(c.tp, c.tp + c.fn, 'the calibrated probabilities expect no positives'),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, 'no expected positives and no positive predictions'),
    specificity: ratio(c.tn, c.tn + c.fp, 'the calibrated probabilities expect no negatives'),
    roc_auc: rocAuc,
  };
}

/** Per-window CBPE counts from per-window score counts (see windowScoreCounts). */
export function cbpeWindowCounts(groups: Iterable<ScoreCountGroup>, fit: IsotonicFit): { start: number; counts: CbpeCounts }[] {
  return [...groups].map((g) => ({ start: g.key[0]!, counts: cbpeCounts(g.all.scores, g.all.counts, fit) }));
}

export function cbpeWindowsAt(windows: { start: number; counts: CbpeCounts }[], threshold: number): CbpeWindow[] {
  return windows.map((w) => ({ start: w.start, n: w.counts.n, estimated: cbpeAt(w.counts, threshold) }));
}

/** Expected performance per time window of the analysis data; realised metrics come from metricsOverTime. */
export async function cbpeOverTime(
  db: Db,
  analysis: PerfSpec,
  windowSql: SqlLike,
  fit: IsotonicFit,
  signal?: AbortSignal,
): Promise<CbpeWindow[]> {
  const w = raw(windowSql);
  const groups = await loadGroupedScoreCounts(db, analysis, [sql`epoch_ms(${w})`], { where: sql`${w} IS NOT NULL`, signal });
  return cbpeWindowsAt(cbpeWindowCounts(groups, fit), analysis.threshold);
}
