/**
 * The log-bucket sketch (DDSketch's logarithmic index mapping, Masson et al. 2019) and the counts pairs
 * every profile figure is made of. Keys are computed by SQL (`ceil(ln(|x|) / ln(gamma))`); here they only
 * turn back into representative values, so a profile made anywhere reads the same.
 */
import { gammaOf, type CountsPair, type NumericColumnProfile } from './format';

/** Adds two sorted counts pairs key by key (a merge of two sorted lists). */
export function addCounts(a: CountsPair, b: CountsPair): CountsPair {
  const [ka, ca] = a;
  const [kb, cb] = b;
  const keys: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < ka.length || j < kb.length) {
    if (j >= kb.length || (i < ka.length && ka[i]! < kb[j]!)) {
      keys.push(ka[i]!);
      counts.push(ca[i++]!);
    } else if (i >= ka.length || kb[j]! < ka[i]!) {
      keys.push(kb[j]!);
      counts.push(cb[j++]!);
    } else {
      keys.push(ka[i]!);
      counts.push(ca[i++]! + cb[j++]!);
    }
  }
  return [keys, counts];
}

/** Sorts pairs that arrive in any order (rows of a GROUP BY) and adds up repeated keys. */
export function countsFrom(entries: Iterable<readonly [number, number]>): CountsPair {
  const sorted = [...entries].sort((p, q) => p[0] - q[0]);
  const keys: number[] = [];
  const counts: number[] = [];
  for (const [k, c] of sorted) {
    // -0 and 0 are one value, as in numpy and SQL's GROUP BY.
    const key = k === 0 ? 0 : k;
    if (keys.length && keys[keys.length - 1] === key) counts[counts.length - 1]! += c;
    else {
      keys.push(key);
      counts.push(c);
    }
  }
  return [keys, counts];
}

/** The value a bucket stands for: within alpha (relative) of every value in it. */
export function representative(key: number, gamma: number): number {
  return (2 * Math.pow(gamma, key)) / (gamma + 1);
}

/**
 * A numeric column as sorted distinct values with counts: the exact values when the profile kept them,
 * else the sketch's representatives (negatives, zeros, positives). `exact` says which.
 */
export interface ColumnValues {
  x: number[];
  c: number[];
  /** How far a value counted at x[i] can lie from it (0 for exact values). */
  reach: number[];
  exact: boolean;
}

export function columnValues(p: NumericColumnProfile, alpha: number, forceSketch = false): ColumnValues {
  if (p.values && !forceSketch) return { x: p.values[0], c: p.values[1], reach: p.values[0].map(() => 0), exact: true };
  const gamma = gammaOf(alpha);
  const x: number[] = [];
  const c: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const [nk, nc] = p.negative;
  for (let i = nk.length - 1; i >= 0; i--) {
    x.push(-representative(nk[i]!, gamma));
    c.push(nc[i]!);
    lo.push(-Math.pow(gamma, nk[i]!));
    hi.push(-Math.pow(gamma, nk[i]! - 1));
  }
  if (p.zeros > 0) {
    x.push(0);
    c.push(p.zeros);
    lo.push(0);
    hi.push(0);
  }
  const [pk, pc] = p.positive;
  for (let i = 0; i < pk.length; i++) {
    x.push(representative(pk[i]!, gamma));
    c.push(pc[i]!);
    lo.push(Math.pow(gamma, pk[i]! - 1));
    hi.push(Math.pow(gamma, pk[i]!));
  }
  // The extreme buckets' representatives may lie past the exact min and max: clamp them, which only
  // moves them closer to the values they stand for.
  if (x.length && p.min !== null && p.max !== null) {
    x[0] = Math.max(x[0]!, p.min);
    x[x.length - 1] = Math.min(x[x.length - 1]!, p.max);
    lo[0] = Math.max(lo[0]!, p.min);
    hi[hi.length - 1] = Math.min(hi[hi.length - 1]!, p.max);
  }
  const reach = x.map((v, i) => Math.max(v - lo[i]!, hi[i]! - v, 0));
  return { x, c, reach, exact: false };
}
