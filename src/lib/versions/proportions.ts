import { normalSf } from '../metrics/distributions';
import type { Undefined } from './delong';

export interface ProportionTest {
  /** Other minus baseline. */
  difference: number;
  z: number;
  p_value: number;
  /** The two proportions and their denominators. */
  other: { k: number; n: number };
  baseline: { k: number; n: number };
}

/**
 * The two-proportion z-test with the pooled proportion under the null (statsmodels' proportions_ztest):
 * z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)). Undefined when a side has no rows or the pooled share
 * is 0 or 1 (no variance: both sides are all one outcome).
 */
export function twoProportionZ(kOther: number, nOther: number, kBase: number, nBase: number): ProportionTest | Undefined {
  if (nOther === 0 || nBase === 0)
    return { defined: false, reason: `no rows ${nOther === 0 ? 'for the other version' : 'for the baseline'}` };
  const p = (kOther + kBase) / (nOther + nBase);
  if (p === 0 || p === 1) return { defined: false, reason: 'both versions have the same outcome on every row' };
  const difference = kOther / nOther - kBase / nBase;
  const z = difference / Math.sqrt(p * (1 - p) * (1 / nOther + 1 / nBase));
  return { difference, z, p_value: 2 * normalSf(Math.abs(z)), other: { k: kOther, n: nOther }, baseline: { k: kBase, n: nBase } };
}
