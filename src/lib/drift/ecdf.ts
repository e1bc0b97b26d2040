/**
 * The pooled sample of one numerical column as sorted distinct values with a count from each side.
 * Everything numerical drift needs follows from it exactly: the ECDF differences of the KS test, the
 * Wasserstein-1 distance, distinct counts, histograms and value counts.
 */
export interface ValueCounts {
  /** Distinct finite values, ascending. */
  x: Float64Array;
  /** Reference count per value. */
  a: Float64Array;
  /** Current count per value. */
  b: Float64Array;
}

/** Merges two sorted samples into distinct values with counts (ties collapse; -0 and 0 are one value, as in numpy). */
export function mergeSorted(ref: Float64Array, cur: Float64Array): ValueCounts {
  // Distinct values of each side bound the merged ones: a column of a few values gets small arrays.
  const n = distinctSorted(ref) + distinctSorted(cur);
  const x = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let i = 0;
  let j = 0;
  let k = -1;
  while (i < ref.length || j < cur.length) {
    const fromRef = j >= cur.length || (i < ref.length && ref[i]! <= cur[j]!);
    const v = fromRef ? ref[i++]! : cur[j++]!;
    if (k < 0 || x[k] !== v) x[++k] = v;
    if (fromRef) a[k]!++;
    else b[k]!++;
  }
  return { x: x.subarray(0, k + 1), a: a.subarray(0, k + 1), b: b.subarray(0, k + 1) };
}

function distinctSorted(v: Float64Array): number {
  let d = v.length > 0 ? 1 : 0;
  for (let i = 1; i < v.length; i++) if (v[i] !== v[i - 1]) d++;
  return d;
}

/** Sorts value counts that arrive in any order (e.g. from a GROUP BY). */
export function sortValueCounts(vc: ValueCounts): ValueCounts {
  const order = Array.from(vc.x.keys()).sort((p, q) => vc.x[p]! - vc.x[q]!);
  return {
    x: Float64Array.from(order, (i) => vc.x[i]!),
    a: Float64Array.from(order, (i) => vc.a[i]!),
    b: Float64Array.from(order, (i) => vc.b[i]!),
  };
}

export interface EcdfSummary {
  nRef: number;
  nCur: number;
  distinctRef: number;
  distinctAll: number;
  lo: number;
  hi: number;
  /** max(F_ref - F_cur) and max(F_cur - F_ref) over the pooled values (scipy's cddiffs). */
  dPlus: number;
  dMinus: number;
  /** scipy.stats.wasserstein_distance: the integral of |F_ref - F_cur|. */
  wasserstein: number;
}

export function summarizeEcdf(vc: ValueCounts): EcdfSummary {
  let nRef = 0;
  let nCur = 0;
  let distinctRef = 0;
  for (let i = 0; i < vc.x.length; i++) {
    nRef += vc.a[i]!;
    nCur += vc.b[i]!;
    if (vc.a[i]! > 0) distinctRef++;
  }
  let ca = 0;
  let cb = 0;
  let dMax = 0;
  let dMin = 0;
  let w = 0;
  let comp = 0;
  for (let i = 0; i < vc.x.length; i++) {
    ca += vc.a[i]!;
    cb += vc.b[i]!;
    // F_ref - F_cur scaled by nRef nCur: an exact integer (below 2^53 up to ~9e7 rows per side), and
    // no division per value; scaled back once at the end.
    const d = ca * nCur - cb * nRef;
    if (d > dMax) dMax = d;
    if (d < dMin) dMin = d;
    if (i + 1 < vc.x.length) {
      const term = Math.abs(d) * (vc.x[i + 1]! - vc.x[i]!);
      const next = w + term;
      comp += Math.abs(w) >= Math.abs(term) ? w - next + term : term - next + w;
      w = next;
    }
  }
  return ecdfSummary(
    nRef,
    nCur,
    distinctRef,
    vc.x.length,
    vc.x[0] ?? Number.NaN,
    vc.x[vc.x.length - 1] ?? Number.NaN,
    dMax,
    dMin,
    w + comp,
  );
}

/** The summary from the scaled sums of either path (value counts or sorted sides): one place scales back. */
export function ecdfSummary(
  nRef: number,
  nCur: number,
  distinctRef: number,
  distinctAll: number,
  lo: number,
  hi: number,
  dMax: number,
  dMin: number,
  scaledWasserstein: number,
): EcdfSummary {
  const scale = nRef * nCur;
  return {
    nRef,
    nCur,
    distinctRef,
    distinctAll,
    lo,
    hi,
    dPlus: dMax / scale,
    dMinus: Math.min(1, -dMin / scale),
    wasserstein: scaledWasserstein / scale,
  };
}

/** Counts per bin of numpy.histogram with explicit edges (edges[i] <= x < edges[i+1], last bin closed). */
export function histogram(vc: ValueCounts, edges: readonly number[]): { ref: number[]; cur: number[] } {
  const bins = edges.length - 1;
  const ref = new Array<number>(bins).fill(0);
  const cur = new Array<number>(bins).fill(0);
  let bin = 0;
  for (let i = 0; i < vc.x.length; i++) {
    const v = vc.x[i]!;
    if (v < edges[0]! || v > edges[bins]!) continue;
    while (bin < bins - 1 && v >= edges[bin + 1]!) bin++;
    ref[bin]! += vc.a[i]!;
    cur[bin]! += vc.b[i]!;
  }
  return { ref, cur };
}

/** Population standard deviation of the reference side (numpy.std), two-pass over the distinct values. */
export function referenceStd(vc: ValueCounts): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < vc.x.length; i++) {
    n += vc.a[i]!;
    sum += vc.a[i]! * vc.x[i]!;
  }
  if (n === 0) return Number.NaN;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < vc.x.length; i++) if (vc.a[i]) ss += vc.a[i]! * (vc.x[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}
