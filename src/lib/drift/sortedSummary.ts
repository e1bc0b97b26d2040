/**
 * What numerical drift needs from a continuous column, straight from the two sorted sides in one merge
 * pass: the ECDF summary (KS differences, Wasserstein), the reference's standard deviation and the
 * histogram counts. The ValueCounts path (`mergeSorted` then `summarizeEcdf`, `referenceStd`,
 * `histogram`) builds three arrays of up to 2n values and walks them four times; for 1M + 1M values that
 * was ~200 ms of a column's ~430 ms in JS (decision 0101). Here the groups of equal values are visited in
 * the same order with the same arithmetic, so every number is bit for bit that of the ValueCounts path
 * (tests/unit/driftSortedSummary.test.ts).
 */
import { ecdfSummary, type EcdfSummary } from './ecdf';

/**
 * The first value of the pooled sample in merge order (ties go to the reference first, as in
 * `mergeSorted`), and the first value of its last group of equal values. They differ from min / max
 * only in the sign of a zero, which the histogram edges and their labels carry.
 */
export function pooledEnds(ref: Float64Array, cur: Float64Array): { lo: number; hi: number } {
  const [nR, nC] = [ref.length, cur.length];
  if (nR + nC === 0) return { lo: Number.NaN, hi: Number.NaN };
  const lo = nC === 0 || (nR > 0 && ref[0]! <= cur[0]!) ? ref[0]! : cur[0]!;
  const max = nC === 0 ? ref[nR - 1]! : nR === 0 ? cur[nC - 1]! : Math.max(ref[nR - 1]!, cur[nC - 1]!);
  // A group's reference members come before its current members in merge order.
  const firstOfRun = (v: Float64Array, n: number): number | undefined => {
    let k = n - 1;
    if (k < 0 || v[k] !== max) return undefined;
    while (k > 0 && v[k - 1] === max) k--;
    return v[k];
  };
  return { lo, hi: firstOfRun(ref, nR) ?? firstOfRun(cur, nC)! };
}

/** Distinct values of a sorted array, counting no further than `limit` (a continuous column stops at once). */
export function distinctUpTo(sorted: Float64Array, limit: number): number {
  let d = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length && d < limit; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

export interface SortedSummary {
  summary: EcdfSummary;
  /** numpy.std of the reference (population), as `referenceStd`. */
  refStd: number;
  /** numpy.histogram counts of each side over `edges`, as `histogram`. */
  hist: { ref: number[]; cur: number[] };
}

/** One merge pass over two sorted samples of finite values (see the file comment). */
export function summarizeSorted(ref: Float64Array, cur: Float64Array, edges: readonly number[]): SortedSummary {
  const [nR, nC] = [ref.length, cur.length];
  const mean = referenceMean(ref);
  const bins = edges.length - 1;
  const [first, last] = [edges[0]!, edges[bins]!];
  const histRef = new Array<number>(bins).fill(0);
  const histCur = new Array<number>(bins).fill(0);
  // Plain scalars, no destructuring: this loop runs 2n times per column.
  let i = 0;
  let j = 0;
  let bin = 0;
  let groups = 0;
  let refGroups = 0;
  let dMax = 0;
  let dMin = 0;
  let w = 0;
  let comp = 0;
  let ss = 0;
  let prevV = 0;
  let prevD = 0;
  while (i < nR || j < nC) {
    const v = j >= nC || (i < nR && ref[i]! <= cur[j]!) ? ref[i]! : cur[j]!;
    const i0 = i;
    const j0 = j;
    while (i < nR && ref[i] === v) i++;
    while (j < nC && cur[j] === v) j++;
    const a = i - i0;
    const b = j - j0;
    // summarizeEcdf: the term of the previous group closes at this value.
    if (groups > 0) {
      const term = Math.abs(prevD) * (v - prevV);
      const next = w + term;
      comp += Math.abs(w) >= Math.abs(term) ? w - next + term : term - next + w;
      w = next;
    }
    const d = i * nC - j * nR;
    if (d > dMax) dMax = d;
    if (d < dMin) dMin = d;
    prevV = v;
    prevD = d;
    groups++;
    if (a > 0) {
      refGroups++;
      ss += a * (v - mean) ** 2;
    }
    // histogram
    if (v >= first && v <= last) {
      while (bin < bins - 1 && v >= edges[bin + 1]!) bin++;
      histRef[bin]! += a;
      histCur[bin]! += b;
    }
  }
  const { lo, hi } = pooledEnds(ref, cur);
  return {
    summary: ecdfSummary(nR, nC, refGroups, groups, lo, hi, dMax, dMin, w + comp),
    refStd: nR === 0 ? Number.NaN : Math.sqrt(ss / nR),
    hist: { ref: histRef, cur: histCur },
  };
}

/** referenceStd's mean: the sum over groups of equal values of count x value, in ascending order. */
function referenceMean(ref: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < ref.length;) {
    const v = ref[i]!;
    const i0 = i;
    while (i < ref.length && ref[i] === v) i++;
    sum += (i - i0) * v;
  }
  return sum / ref.length;
}
