import { normalSf } from '../metrics/distributions';

/**
 * DeLong's test for ROC AUCs (DeLong, DeLong & Clarke-Pearson 1988) by midranks, with Sun & Xu's fast
 * algorithm (IEEE Signal Processing Letters 21(11), 2014): the structural components of each AUC come
 * from three rankings (positives, negatives, all) instead of comparing every pair, O(n log n).
 */

/** 1-based ranks with ties given their mean rank. */
export function midranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let k = i;
    while (k < n && x[order[k]!] === x[order[i]!]) k++;
    const rank = 0.5 * (i + k - 1) + 1;
    for (let j = i; j < k; j++) out[order[j]!] = rank;
    i = k;
  }
  return out;
}

export interface AucComponents {
  auc: number;
  /** V10: per positive, the share of negatives it outranks (ties 1/2). */
  v10: Float64Array;
  /** V01: per negative, the share of positives that outrank it (ties 1/2). */
  v01: Float64Array;
}

/** The AUC of `score` for the 0/1 labels `y` and its structural components, or null with one class. */
export function aucComponents(score: ArrayLike<number>, y: ArrayLike<number>): AucComponents | null {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] ? pos : neg).push(score[i]!);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) return null;
  const tx = midranks(pos);
  const ty = midranks(neg);
  const tz = midranks([...pos, ...neg]);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let rankSum = 0;
  for (let i = 0; i < m; i++) {
    v10[i] = (tz[i]! - tx[i]!) / n;
    rankSum += tz[i]!;
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j]! - ty[j]!) / m;
  return { auc: (rankSum - (m * (m + 1)) / 2) / (m * n), v10, v01 };
}

function covariance(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (n - 1);
}

/** DeLong's variance of one AUC (needs two rows of each class). */
export function aucVariance(c: AucComponents): number {
  return covariance(c.v10, c.v10) / c.v10.length + covariance(c.v01, c.v01) / c.v01.length;
}

export interface DeLongPaired {
  auc_champion: number;
  auc_challenger: number;
  /** Challenger minus champion. */
  difference: number;
  /** Variance of the difference, the two AUCs' correlation (same rows) taken out. */
  variance: number;
  z: number;
  p_value: number;
}

export type Undefined = { defined: false; reason: string };

const noSecondRow = 'DeLong needs at least two rows of each class';

/**
 * Two correlated AUCs: both versions scored the same labelled rows. With the same ranking of every pair
 * (one score a monotone function of the other) the variance is 0 and so is the difference: z = 0, p = 1.
 */
export function delongPaired(y: ArrayLike<number>, champion: ArrayLike<number>, challenger: ArrayLike<number>): DeLongPaired | Undefined {
  const a = aucComponents(champion, y);
  const b = aucComponents(challenger, y);
  if (!a || !b) return { defined: false, reason: 'ROC AUC needs both classes among the labelled rows' };
  const m = a.v10.length;
  const n = a.v01.length;
  if (m < 2 || n < 2) return { defined: false, reason: noSecondRow };
  const variance =
    (covariance(a.v10, a.v10) + covariance(b.v10, b.v10) - 2 * covariance(a.v10, b.v10)) / m +
    (covariance(a.v01, a.v01) + covariance(b.v01, b.v01) - 2 * covariance(a.v01, b.v01)) / n;
  const difference = b.auc - a.auc;
  const base = { auc_champion: a.auc, auc_challenger: b.auc, difference };
  // Rounding can leave a hair of variance (or none) where the rankings agree; the difference is then 0.
  if (!(variance > 0) || (difference === 0 && variance < 1e-300)) return { ...base, difference: 0, variance: 0, z: 0, p_value: 1 };
  const z = difference / Math.sqrt(variance);
  return { ...base, variance, z, p_value: 2 * normalSf(Math.abs(z)) };
}

export interface DeLongIndependent {
  auc_baseline: number;
  auc_other: number;
  /** Other minus baseline. */
  difference: number;
  /** The sum of the two AUCs' DeLong variances (independent samples). */
  variance: number;
  z: number;
  p_value: number;
}

/** Two AUCs of independent samples (each version scored its own rows). */
export function delongIndependent(
  baseline: { y: ArrayLike<number>; score: ArrayLike<number> },
  other: { y: ArrayLike<number>; score: ArrayLike<number> },
): DeLongIndependent | Undefined {
  const a = aucComponents(baseline.score, baseline.y);
  const b = aucComponents(other.score, other.y);
  if (!a || !b)
    return { defined: false, reason: `ROC AUC needs both classes among ${!a ? "the baseline's" : "the other version's"} labelled rows` };
  if (a.v10.length < 2 || a.v01.length < 2 || b.v10.length < 2 || b.v01.length < 2) return { defined: false, reason: noSecondRow };
  const variance = aucVariance(a) + aucVariance(b);
  const difference = b.auc - a.auc;
  const base = { auc_baseline: a.auc, auc_other: b.auc, difference };
  if (!(variance > 0)) return { ...base, variance: 0, z: 0, p_value: 1 };
  const z = difference / Math.sqrt(variance);
  return { ...base, variance, z, p_value: 2 * normalSf(Math.abs(z)) };
}

/** The test's result, or null where it is undefined. */
export function whenDefined<T extends object>(r: T | Undefined): Exclude<T, Undefined> | null {
  return 'defined' in r && r.defined === false ? null : (r as Exclude<T, Undefined>);
}
