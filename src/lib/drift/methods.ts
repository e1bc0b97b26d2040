/**
 * Which test each column gets by default, and what counts as drift. The table is Evidently's
 * (`get_default_stattest`, evidently/calculations/stattests/registry.py), so that users migrating from
 * Evidently get the same verdicts:
 *
 * | column                    | n_ref <= 1000        | n_ref > 1000              |
 * | numerical, n_unique > 5   | ks: p <= 0.05        | wasserstein (normed) >= 0.1 |
 * | numerical, 3-5 unique     | chisquare: p < 0.05  | jensenshannon >= 0.1      |
 * | numerical, <= 2 unique    | z: p < 0.05          | jensenshannon >= 0.1      |
 * | categorical, > 2 unique   | chisquare: p < 0.05  | jensenshannon >= 0.1      |
 * | categorical, <= 2 unique  | z: p < 0.05          | jensenshannon >= 0.1      |
 *
 * n_ref counts non-null finite reference values; n_unique counts distinct values of both samples.
 */
export type DriftKind = 'numerical' | 'categorical';
export type DriftMethod = 'ks' | 'wasserstein' | 'jensenshannon' | 'chisquare' | 'z' | 'psi';

export const DRIFT_METHODS: readonly DriftMethod[] = ['ks', 'wasserstein', 'jensenshannon', 'chisquare', 'z', 'psi'];

/** Evidently's default thresholds: p-value tests at 0.05, distances at 0.1. */
export const DEFAULT_THRESHOLD: Record<DriftMethod, number> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.1,
};

/** The dataset drifts when at least this share of the tested columns drifts (Evidently's default). */
export const DEFAULT_DATASET_DRIFT_SHARE = 0.5;

export function isPValueMethod(method: DriftMethod): boolean {
  return method === 'ks' || method === 'chisquare' || method === 'z';
}

export function defaultMethod(kind: DriftKind, nRef: number, nUnique: number): DriftMethod {
  if (kind === 'numerical') {
    if (nRef <= 1000) return nUnique <= 5 ? (nUnique > 2 ? 'chisquare' : 'z') : 'ks';
    return nUnique <= 5 ? 'jensenshannon' : 'wasserstein';
  }
  if (nRef <= 1000) return nUnique > 2 ? 'chisquare' : 'z';
  return 'jensenshannon';
}

/** Evidently's comparisons: KS drifts at p <= threshold, chi-square and z at p < threshold, distances at >= threshold. */
export function isDrifted(method: DriftMethod, score: number, threshold: number): boolean {
  if (Number.isNaN(score)) return false;
  if (method === 'ks') return score <= threshold;
  if (method === 'chisquare' || method === 'z') return score < threshold;
  return score >= threshold;
}

export function methodAppliesTo(method: DriftMethod, kind: DriftKind): boolean {
  return kind === 'numerical' || (method !== 'ks' && method !== 'wasserstein');
}

/** What each method measures, in a sentence a user can read next to the number. */
export const METHOD_EXPLANATION: Record<DriftMethod, string> = {
  ks: 'Two-sample Kolmogorov-Smirnov test: the largest gap between the two cumulative distributions; the score is its p-value (drift when p <= threshold).',
  wasserstein:
    "Wasserstein (earth mover's) distance divided by the reference standard deviation: how far, in reference standard deviations, values had to move (drift when >= threshold).",
  jensenshannon:
    'Jensen-Shannon distance between the binned distributions, natural log, from 0 (same) to 0.83 (disjoint); drift when >= threshold.',
  chisquare:
    'Chi-square goodness-of-fit of current category counts against reference shares; the score is its p-value (drift when p < threshold).',
  z: 'Two-proportion z-test on the share of one of the two values; the score is its p-value (drift when p < threshold).',
  psi: 'Population stability index over the bins: sum of (ref - cur) ln(ref / cur); 0.1-0.25 is a moderate shift, above 0.25 a large one (drift when >= threshold).',
};
