import { chi2Sf } from './special';

export interface Chi2Result {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Two-sample homogeneity test on category counts, as scipy.stats.chi2_contingency([ref, cur],
 * correction=False) on the 2 x k table over the union of categories. scipy returns statistic 0 and
 * p 1 when dof is 0 (one category in total).
 */
export function chi2Homogeneity(ref: ArrayLike<number>, cur: ArrayLike<number>): Chi2Result {
  const k = ref.length;
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < k; i++) {
    nRef += ref[i]!;
    nCur += cur[i]!;
  }
  const dof = k - 1;
  if (dof <= 0) return { statistic: 0, pValue: 1, dof: 0 };
  const total = nRef + nCur;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const col = ref[i]! + cur[i]!;
    const eRef = (nRef * col) / total;
    const eCur = (nCur * col) / total;
    statistic += (ref[i]! - eRef) ** 2 / eRef + (cur[i]! - eCur) ** 2 / eCur;
  }
  return { statistic, pValue: chi2Sf(statistic, dof), dof };
}

/**
 * Evidently's `chisquare` drift test: a goodness-of-fit test of the current counts against the reference
 * shares scaled to the current size (scipy.stats.chisquare(f_obs=cur, f_exp=ref * n_cur / n_ref)). A
 * category absent from the reference has expected count 0, which makes the statistic infinite and p 0,
 * as in scipy.
 */
export function chi2GoodnessOfFit(ref: ArrayLike<number>, cur: ArrayLike<number>): Chi2Result {
  const k = ref.length;
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < k; i++) {
    nRef += ref[i]!;
    nCur += cur[i]!;
  }
  const scale = nCur / nRef;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = ref[i]! * scale;
    const diff = cur[i]! - expected;
    statistic += expected === 0 ? (diff === 0 ? Number.NaN : Infinity) : (diff * diff) / expected;
  }
  const dof = k - 1;
  const pValue = dof <= 0 || Number.isNaN(statistic) ? Number.NaN : chi2Sf(statistic, dof);
  return { statistic, pValue, dof };
}
