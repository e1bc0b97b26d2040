/**
 * Binary classification metrics from a profile's performance counts. The confusion counts at the
 * profile's threshold, log loss and Brier are exact (the query counted and summed them). ROC AUC and
 * average precision come from the score of each class: exact when both classes kept exact score values,
 * otherwise from the sketch, where pairs in one bucket count as ties: the AUC is then off by at most half
 * the share of such pairs (`bounds.roc_auc`).
 */
import type { PerformanceProfile } from './format';
import { columnValues } from './sketch';

export interface ProfileMetrics {
  n: number;
  positives: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  specificity: number | null;
  fpr: number | null;
  fnr: number | null;
  roc_auc: number | null;
  average_precision: number | null;
  log_loss: number | null;
  brier: number | null;
  approximate: boolean;
  bounds: { roc_auc?: number };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function profileMetrics(p: PerformanceProfile, alpha: number): ProfileMetrics {
  const { tp, fp, tn, fn, count: n, positives } = p;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const exact = p.negativeScores.values !== null && p.positiveScores.values !== null;
  const neg = columnValues(p.negativeScores, alpha, !exact);
  const pos = columnValues(p.positiveScores, alpha, !exact);
  // Pooled ascending scores with the count of each class.
  const points = new Map<number, [number, number]>();
  neg.x.forEach((x, i) => points.set(x, [neg.c[i]!, 0]));
  pos.x.forEach((x, i) => {
    const seen = points.get(x);
    if (seen) seen[1] += pos.c[i]!;
    else points.set(x, [0, pos.c[i]!]);
  });
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const nNeg = n - positives;
  let u = 0;
  let below = 0;
  let tiesInBuckets = 0;
  for (const [, [a, b]] of sorted) {
    u += b * (below + 0.5 * a);
    below += a;
  }
  if (!exact) {
    // Pairs that may be ordered either way: a negative and a positive in the same bucket.
    const bucketOf = (values: typeof neg) => new Map(values.x.map((x, i) => [x, values.c[i]!]));
    const negBuckets = bucketOf(neg);
    for (const [x, c] of bucketOf(pos)) tiesInBuckets += c * (negBuckets.get(x) ?? 0);
  }
  let ap = 0;
  let tpCum = 0;
  let fpCum = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const [a, b] = sorted[i]![1];
    tpCum += b;
    fpCum += a;
    if (b > 0) ap += (b / positives) * (tpCum / (tpCum + fpCum));
  }
  const both = positives > 0 && nNeg > 0;
  return {
    n,
    positives,
    tp,
    fp,
    tn,
    fn,
    accuracy: ratio(tp + tn, n),
    precision,
    recall,
    f1: precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null,
    specificity: ratio(tn, tn + fp),
    fpr: ratio(fp, fp + tn),
    fnr: ratio(fn, fn + tp),
    roc_auc: both ? u / (positives * nNeg) : null,
    average_precision: positives > 0 ? ap : null,
    log_loss: n > 0 ? p.logLossSum / n : null,
    brier: n > 0 ? p.brierSum / n : null,
    approximate: !exact,
    bounds: exact || !both ? {} : { roc_auc: (0.5 * tiesInBuckets) / (positives * nNeg) },
  };
}
