import { normalSf, studentTTwoSided } from '../metrics/distributions';
import type { Undefined } from './delong';
import { midranks } from './delong';

/** Mean and sample variance (n - 1), two passes (the one-pass form loses digits on large errors). */
function meanVariance(x: ArrayLike<number>): { mean: number; variance: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (x[i]! - mean) ** 2;
  return { mean, variance: n > 1 ? q / (n - 1) : NaN };
}

export interface PairedT {
  n: number;
  /** Mean of the per-row differences (challenger minus champion). */
  mean_difference: number;
  t: number;
  df: number;
  p_value: number;
  /** 95% interval of the mean difference (Student's t). */
  lo: number;
  hi: number;
}

/** Student's quantile by bisection on the two-sided tail (only needed for intervals, once per test). */
function tQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, df) > 2 * (1 - p)) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The paired t-test on per-row differences d = x - y (scipy's ttest_rel(x, y)). */
export function pairedTTest(d: ArrayLike<number>): PairedT | Undefined {
  const n = d.length;
  if (n < 2) return { defined: false, reason: 'a paired t-test needs at least two rows' };
  const { mean, variance } = meanVariance(d);
  const df = n - 1;
  if (!(variance > 0)) {
    if (mean === 0) return { n, mean_difference: 0, t: 0, df, p_value: 1, lo: 0, hi: 0 };
    return { n, mean_difference: mean, t: mean * Infinity, df, p_value: 0, lo: mean, hi: mean };
  }
  const se = Math.sqrt(variance / n);
  const t = mean / se;
  const half = tQuantile(0.975, df) * se;
  return { n, mean_difference: mean, t, df, p_value: studentTTwoSided(t, df), lo: mean - half, hi: mean + half };
}

export interface Wilcoxon {
  /** Rows with a non-zero difference (zeros are dropped: zero_method "wilcox"). */
  n: number;
  /** min(R+, R-), scipy's two-sided statistic. */
  statistic: number;
  p_value: number;
  method: 'exact' | 'approx';
}

/** P(R+ = r) for r = 0..n(n+1)/2 without ties: the convolution scipy's _get_wilcoxon_distr builds. */
function signedRankDistribution(n: number): Float64Array {
  let c = new Float64Array([1]);
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1);
    const m = c.length;
    for (let i = 0; i < m; i++) {
      next[i]! += c[i]! * 0.5;
      next[next.length - m + i]! += c[i]! * 0.5;
    }
    c = next;
  }
  return c;
}

/**
 * The Wilcoxon signed-rank test on per-row differences, as scipy 1.10's wilcoxon(d) with its defaults
 * (zero_method "wilcox", no continuity correction, method "auto"): the exact distribution when there are
 * at most 50 differences and none is zero (with ties it still uses the untied distribution at int(R+), as
 * scipy does), else the normal approximation on the non-zero differences with the tie correction.
 */
export function wilcoxonSignedRank(d: ArrayLike<number>): Wilcoxon | Undefined {
  const all = Array.from(d);
  if (all.length === 0) return { defined: false, reason: 'no rows' };
  let exact = all.length <= 50;
  const zeros = all.filter((x) => x === 0).length;
  if (zeros > 0) exact = false;
  const nz = exact ? all : all.filter((x) => x !== 0);
  if (nz.length === 0) return { defined: false, reason: 'every per-row difference is zero' };
  const r = midranks(nz.map(Math.abs));
  let plus = 0;
  let minus = 0;
  nz.forEach((x, i) => {
    if (x > 0) plus += r[i]!;
    else if (x < 0) minus += r[i]!;
  });
  const statistic = Math.min(plus, minus);
  const n = nz.length;
  if (exact) {
    const pmf = signedRankDistribution(n);
    const rp = Math.trunc(plus);
    if (rp === (pmf.length - 1) >> 1) return { n, statistic, p_value: 1, method: 'exact' };
    let less = 0;
    let greater = 0;
    for (let i = 0; i <= rp; i++) less += pmf[i]!;
    for (let i = rp; i < pmf.length; i++) greater += pmf[i]!;
    return { n, statistic, p_value: Math.min(1, Math.max(0, 2 * Math.min(less, greater))), method: 'exact' };
  }
  const mean = (n * (n + 1)) / 4;
  let se = n * (n + 1) * (2 * n + 1);
  // Tie correction: each group of t equal |differences| takes (t^3 - t) / 2 off.
  const counts = new Map<number, number>();
  for (const x of r) counts.set(x, (counts.get(x) ?? 0) + 1);
  for (const t of counts.values()) if (t > 1) se -= 0.5 * t * (t * t - 1);
  se = Math.sqrt(se / 24);
  const z = (statistic - mean) / se;
  return { n, statistic, p_value: 2 * normalSf(Math.abs(z)), method: 'approx' };
}

export interface WelchT {
  /** Mean of other minus mean of baseline. */
  mean_difference: number;
  t: number;
  df: number;
  p_value: number;
}

/** Welch's t-test of two independent samples (scipy's ttest_ind(other, baseline, equal_var=False)). */
export function welchTTest(other: ArrayLike<number>, baseline: ArrayLike<number>): WelchT | Undefined {
  if (other.length < 2 || baseline.length < 2) return { defined: false, reason: "Welch's t-test needs at least two rows per version" };
  const a = meanVariance(other);
  const b = meanVariance(baseline);
  const va = a.variance / other.length;
  const vb = b.variance / baseline.length;
  const mean_difference = a.mean - b.mean;
  if (!(va + vb > 0))
    return { mean_difference, t: mean_difference === 0 ? 0 : mean_difference * Infinity, df: NaN, p_value: mean_difference === 0 ? 1 : 0 };
  const t = mean_difference / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (other.length - 1) + vb ** 2 / (baseline.length - 1));
  return { mean_difference, t, df, p_value: studentTTwoSided(t, df) };
}
