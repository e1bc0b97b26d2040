import { normalSf } from './special';

export interface ZTestResult {
  statistic: number;
  pValue: number;
  /** Cohen's h between the two proportions: 2 asin sqrt(p1) - 2 asin sqrt(p2). */
  cohensH: number;
}

/**
 * Evidently's `z` drift test for a column with at most two values: a pooled two-proportion z-test on
 * the share of the first value (`proportions_diff_z_stat_ind`). When both samples hold one and the same
 * value, Evidently returns p = 1. Evidently computes the two-sided p as 2 * (1 - Phi(|z|)), which
 * rounds to 0 below about 1e-16; we compute the tail directly (2 * sf(|z|)), so verdicts agree and
 * tiny p-values stay accurate.
 */
export function twoProportionZTest(refHits: number, nRef: number, curHits: number, nCur: number): ZTestResult {
  const p1 = refHits / nRef;
  const p2 = curHits / nCur;
  const cohensH = 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
  const pooled = (p1 * nRef + p2 * nCur) / (nRef + nCur);
  const variance = pooled * (1 - pooled) * (1 / nRef + 1 / nCur);
  if (variance === 0) return { statistic: 0, pValue: 1, cohensH };
  const statistic = (p1 - p2) / Math.sqrt(variance);
  return { statistic, pValue: 2 * normalSf(Math.abs(statistic)), cohensH };
}
