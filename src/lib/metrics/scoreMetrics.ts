import type { ScoreTable } from './scoreTable';
import { CompensatedSum } from './sum';
import { defined, undefinedMetric, type MetricValue } from './value';

/** sklearn 1.2's log_loss default eps="auto": the float64 machine epsilon. */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

function oneClassReason(t: ScoreTable): string | undefined {
  if (t.positives === 0 && t.negatives === 0) return 'no labelled rows with a score';
  if (t.positives === 0) return 'only the negative class is present';
  if (t.negatives === 0) return 'only the positive class is present';
  return undefined;
}

/**
 * ROC AUC equal to sklearn's roc_auc_score: the trapezoidal area under the curve through every distinct
 * threshold. Tied scores form one step, which the trapezoid counts as half - the Mann-Whitney U with ties
 * counted 1/2. Computed from integer counts, so it is exact, not merely close.
 */
export function rocAuc(t: ScoreTable): MetricValue {
  const reason = oneClassReason(t);
  if (reason) return undefinedMetric(`ROC AUC needs both classes: ${reason}`);
  let u = 0;
  for (let i = 0; i < t.scores.length; i++) u += t.pos[i]! * (t.cumNeg[i]! + 0.5 * t.neg[i]!);
  return defined(u / (t.positives * t.negatives));
}

/**
 * sklearn's average_precision_score: sum over distinct thresholds (descending) of the recall step times
 * the precision at that threshold; no interpolation. Recall only steps where positives sit, so the sum
 * runs over groups with positives.
 */
export function averagePrecision(t: ScoreTable): MetricValue {
  if (t.positives === 0) return undefinedMetric('average precision needs positive labels: only the negative class is present');
  const sum = new CompensatedSum();
  const g = t.scores.length;
  for (let i = g - 1; i >= 0; i--) {
    const p = t.pos[i]!;
    if (p === 0) continue;
    const tp = t.positives - t.cumPos[i]!;
    const fp = t.negatives - t.cumNeg[i]!;
    sum.add(p * (tp / (tp + fp)));
  }
  return defined(sum.value / t.positives);
}

function outsideUnit(t: ScoreTable): boolean {
  const g = t.scores.length;
  return g > 0 && (t.scores[0]! < 0 || t.scores[g - 1]! > 1);
}

/** sklearn's log_loss for binary labels: probabilities clipped to [eps, 1 - eps], natural log, mean. */
export function logLoss(t: ScoreTable): MetricValue {
  const n = t.positives + t.negatives;
  if (n === 0) return undefinedMetric('no labelled rows with a score');
  if (outsideUnit(t)) return undefinedMetric('log loss needs probabilities: scores fall outside [0, 1]');
  // With one class present sklearn raises unless labels=[neg, pos] is passed; the task declares both
  // classes, so the loss is defined (as sklearn's with labels given).
  const sum = new CompensatedSum();
  for (let i = 0; i < t.scores.length; i++) {
    const p = Math.min(Math.max(t.scores[i]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    if (t.pos[i]! > 0) sum.add(-t.pos[i]! * Math.log(p));
    if (t.neg[i]! > 0) sum.add(-t.neg[i]! * Math.log(1 - p));
  }
  return defined(sum.value / n);
}

/** sklearn's brier_score_loss: mean squared difference between the probability and the 0/1 label. */
export function brierScore(t: ScoreTable): MetricValue {
  const n = t.positives + t.negatives;
  if (n === 0) return undefinedMetric('no labelled rows with a score');
  if (outsideUnit(t)) return undefinedMetric('the Brier score needs probabilities: scores fall outside [0, 1]');
  const sum = new CompensatedSum();
  for (let i = 0; i < t.scores.length; i++) {
    const s = t.scores[i]!;
    sum.add(t.pos[i]! * (1 - s) * (1 - s) + t.neg[i]! * s * s);
  }
  return defined(sum.value / n);
}
