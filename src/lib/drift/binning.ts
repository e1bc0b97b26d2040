/**
 * Evidently's binning for PSI and Jensen-Shannon (evidently/calculations/stattests/utils.py,
 * `get_binned_data`): a numerical column with more than 20 distinct reference values is cut by
 * numpy.histogram_bin_edges(concat(reference, current), bins='sturges'); any other column gets one bin
 * per distinct value of the two samples together.
 */
export const MAX_DISTINCT_FOR_VALUE_BINS = 20;

/**
 * numpy.histogram_bin_edges(a, 'sturges') from the pooled sample's size, min and max (numpy 1.24,
 * lib/histograms.py): width = ptp / (log2(n) + 1), n_bins = ceil(ptp / width), edges by linspace.
 */
export function sturgesEdges(n: number, min: number, max: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(n) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** numpy.linspace(start, stop, num) with endpoint=True: start + i * step, the last edge set to stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const out = new Array<number>(num);
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * Bin index of x under numpy.histogram with explicit edges: bin i holds edges[i] <= x < edges[i+1], the
 * last bin also holds x == edges[last]. Mirrors the SQL in `sql.ts` (`binIndexSql`), used for tests.
 */
export function binIndex(x: number, edges: readonly number[]): number {
  const bins = edges.length - 1;
  let lo = 0;
  let hi = bins;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}
