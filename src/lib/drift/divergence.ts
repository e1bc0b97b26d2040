/**
 * PSI and Jensen-Shannon distance on binned counts, as Evidently computes them
 * (evidently/calculations/stattests/psi.py and jensenshannon.py over `get_binned_data`).
 */

/** Shares of each bin. Evidently divides by the sample size, which equals the sum of the bin counts. */
export function shares(counts: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
  return out;
}

/**
 * Evidently's `feel_zeroes`: an empty bin's share becomes (smallest non-zero share / 1e6) when that
 * smallest share is <= 1e-4, else 1e-4; so the log in PSI stays finite.
 */
export function fillEmptyShares(p: Float64Array): Float64Array {
  let minNonZero = Infinity;
  for (const x of p) if (x !== 0 && x < minNonZero) minNonZero = x;
  if (minNonZero === Infinity) return p;
  const fill = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
  return p.map((x) => (x === 0 ? fill : x));
}

/** Population stability index: sum (ref - cur) * ln(ref / cur) over bins with empty bins filled. */
export function psi(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  const r = fillEmptyShares(shares(refCounts));
  const c = fillEmptyShares(shares(curCounts));
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return sum;
}

/** x ln(x / y) with scipy.special.rel_entr's conventions. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/**
 * scipy.spatial.distance.jensenshannon(p, q) with the natural log: both vectors are normalised to sum
 * 1, then sqrt((KL(p||m) + KL(q||m)) / 2) with m = (p + q) / 2. Evidently passes unfilled shares.
 */
export function jensenShannonDistance(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  const p = shares(refCounts);
  const q = shares(curCounts);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    left += relEntr(p[i]!, m);
    right += relEntr(q[i]!, m);
  }
  return Math.sqrt((left + right) / 2);
}
