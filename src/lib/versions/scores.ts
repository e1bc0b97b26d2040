import { ksTwoSample } from '../drift/ks';
import type { ScoreDistributions } from './types';

/**
 * The two versions' outputs side by side: shares per equal-width bin over their common range, and the
 * two-sample KS test between them (scipy's ks_2samp, as the drift report computes it): how far the
 * challenger's scores moved from the champion's.
 */
export function scoreDistributions(
  names: [string, string],
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  bins = 20,
): ScoreDistributions | undefined {
  const xa = Float64Array.from(a).filter(Number.isFinite).sort();
  const xb = Float64Array.from(b).filter(Number.isFinite).sort();
  if (xa.length === 0 || xb.length === 0) return undefined;
  const lo = Math.min(xa[0]!, xb[0]!);
  const hi = Math.max(xa[xa.length - 1]!, xb[xb.length - 1]!);
  // Probabilities keep the [0, 1] axis, so two charts of scores read alike.
  const [from, to] = lo >= 0 && hi <= 1 ? [0, 1] : [lo, hi > lo ? hi : lo + 1];
  const width = (to - from) / bins;
  const count = (x: Float64Array) => {
    const c = new Float64Array(bins);
    for (const v of x) c[Math.min(bins - 1, Math.max(0, Math.floor((v - from) / width)))]! += 1;
    return c;
  };
  const ca = count(xa);
  const cb = count(xb);
  const out: ScoreDistributions['bins'] = [];
  for (let i = 0; i < bins; i++)
    out.push({
      lo: from + i * width,
      hi: from + (i + 1) * width,
      shares: { [names[0]]: ca[i]! / xa.length, [names[1]]: cb[i]! / xb.length },
    });
  // The largest gap between the two empirical distribution functions, at every observed value.
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < xa.length && j < xb.length) {
    const v = Math.min(xa[i]!, xb[j]!);
    while (i < xa.length && xa[i] === v) i++;
    while (j < xb.length && xb[j] === v) j++;
    d = Math.max(d, Math.abs(i / xa.length - j / xb.length));
  }
  const ks = ksTwoSample(d, xb.length, xa.length);
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
  return { bins: out, ks: { statistic: ks.statistic, p_value: ks.pValue }, means: { [names[0]]: mean(xa), [names[1]]: mean(xb) } };
}
