import { attemptExactKs } from './ksExact';
import { kstwoSf } from './kolmogorov';
import { roundHalfEven } from './ksExact';

/** scipy.stats.ks_2samp's method='auto' tries the exact distribution when both samples have at most this many values. */
export const KS_MAX_EXACT_N = 10_000;

export type KsMode = 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  /** The distribution actually used: 'asymp' also when an exact attempt failed and scipy fell back. */
  mode: KsMode;
}

/**
 * The two-sided two-sample KS p-value from the statistic and the sample sizes, following the mode choice
 * and fallbacks of scipy 1.10's ks_2samp (method='auto'): exact when max(n1, n2) <= 10,000, else (or when
 * the exact computation is not a probability) kstwo.sf(d, round(n1 n2 / (n1 + n2))). In exact mode scipy
 * reports the statistic rounded to the lattice h / lcm(n1, n2), and so do we.
 */
export function ksTwoSample(d: number, n1: number, n2: number, method: 'auto' | KsMode = 'auto'): KsResult {
  if (n1 <= 0 || n2 <= 0) throw new Error('ks_2samp needs two non-empty samples');
  let mode: KsMode = method === 'auto' ? (Math.max(n1, n2) <= KS_MAX_EXACT_N ? 'exact' : 'asymp') : method;
  let statistic = d;
  let p = Number.NaN;
  if (mode === 'exact') {
    const attempt = attemptExactKs(n1, n2, d);
    statistic = attempt.d;
    if (attempt.success) p = attempt.p;
    else mode = 'asymp';
  }
  if (mode === 'asymp') {
    const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
    const en = (m * n) / (m + n);
    p = kstwoSf(statistic, roundHalfEven(en));
  }
  return { statistic, pValue: Math.min(1, Math.max(0, p)), mode };
}
