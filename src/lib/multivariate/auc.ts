/**
 * ROC AUC of a classifier's scores, as scikit-learn's roc_auc_score computes it: the Mann-Whitney
 * statistic with tied scores counted half, so it is exact whatever the ties. NaN when one class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, rows?: ArrayLike<number>): number {
  const n = rows ? rows.length : scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = rows ? rows[i]! : i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!]! === scores[order[i]!]!) j++;
    // Ranks i+1..j+1 share their mean.
    const rank = (i + j + 2) / 2;
    for (let t = i; t <= j; t++)
      if (labels[order[t]!]) {
        positives++;
        rankSum += rank;
      }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The `quantile` of the AUCs of a classifier that guesses (uniform random scores) on the same test labels,
 * over `iterations` seeded draws, with numpy's percentile (linear interpolation): Evidently's threshold for
 * a domain classifier trained on little data.
 */
export function randomClassifierAucQuantile(labels: Uint8Array, random: () => number, quantile = 0.95, iterations = 1000): number {
  const aucs = new Float64Array(iterations);
  const scores = new Float64Array(labels.length);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < scores.length; i++) scores[i] = random();
    aucs[it] = rocAuc(scores, labels);
  }
  return percentile(aucs, quantile);
}

/** numpy.percentile(values, 100 * q) with its default linear interpolation. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
