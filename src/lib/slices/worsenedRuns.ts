import { groupedCellSums, levelProgress, pacer } from './cells';
import { SLICE_DEFAULTS } from './defaults';
import type { Dimension } from './dimensions';
import { describeSlice } from './discover';
import type { EncodedRows } from './encode';
import { benjaminiHochberg, effectSizeFromSums, welchFromSums } from './significance';
import type { SliceSearchProgress } from './cells';
import type { WorsenedSlice, WorsenedWindow } from './worsened';

/**
 * Every comparison of a slice (one or two conditions) in a window with its baseline, one array per field
 * (a search can make hundreds of thousands): comparison i is slice `slice[i]` in window `window[i]`.
 */
export interface SliceWindowComparisons {
  /** The slices compared: dimension indexes (ascending) and the code on each. */
  slices: { dims: number[]; codes: number[] }[];
  /** Window starts (epoch ms) by window index; [null] when the whole log is one window. */
  windowStarts: (number | null)[];
  slice: number[];
  window: number[];
  n: number[];
  sum: number[];
  squares: number[];
  baselineN: number[];
  baselineSum: number[];
  t: number[];
  p: number[];
  /** Benjamini-Hochberg over every comparison made. */
  q: number[];
  /** Slice x window cells with rows on both sides but fewer than minSupport on one: never compared. */
  tooSmall: number;
  minSupport: number;
  baseline: 'reference' | 'earlier windows';
}

export interface WorsenedRunOptions {
  minSupport?: number;
  fdr?: number;
  /** Effect a two-condition slice needs over a worsened condition's other rows to be listed beside it. */
  minEffect?: number;
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SliceSearchProgress) => void;
}

function allZeroOne(errors: Float64Array): boolean {
  for (let r = 0; r < errors.length; r++) if (errors[r] !== 0 && errors[r] !== 1) return false;
  return true;
}

/**
 * Slices of one or two conditions compared window by window with a baseline - the same slice's rows in
 * the reference when there is one, else in every earlier window, so that a problem that starts in one
 * segment on one date shows at that date - by a Welch t-test (two-sided p), Benjamini-Hochberg over every
 * comparison made. A cell with fewer than `minSupport` rows in the window or in its baseline is never
 * compared, only counted. One dense pass per dimension and pair of dimensions, per window.
 */
export async function compareSliceWindows(
  current: EncodedRows,
  reference: EncodedRows | undefined,
  options: WorsenedRunOptions = {},
): Promise<SliceWindowComparisons> {
  const minSupport = Math.max(2, options.minSupport ?? SLICE_DEFAULTS.windowMinSupport);
  const pause = pacer(options.signal);
  const starts = current.window && current.windowStarts ? current.windowStarts : null;
  const windows = starts ? starts.length : 1;
  const binary = allZeroOne(current.errors) && (!reference || allZeroOne(reference.errors));
  const d = current.codes.length;
  const combos: number[][] = [];
  for (let a = 0; a < d; a++) combos.push([a]);
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) combos.push([a, b]);
  const out: SliceWindowComparisons = {
    slices: [],
    windowStarts: starts ? [...starts] : [null],
    slice: [],
    window: [],
    n: [],
    sum: [],
    squares: [],
    baselineN: [],
    baselineSum: [],
    t: [],
    p: [],
    q: [],
    tooSmall: 0,
    minSupport,
    baseline: reference ? 'reference' : 'earlier windows',
  };
  const progress = levelProgress(combos, 'worsened', options.onProgress);
  for (const combo of combos) {
    await pause();
    progress(combo);
    const cur = groupedCellSums(current, combo, starts ? current.window! : null, windows, binary);
    const { total, stride } = cur;
    const ref = reference ? groupedCellSums(reference, combo, null, 1, binary) : null;
    const earlier = { size: new Float64Array(total), sum: new Float64Array(total) };
    // With 0/1 errors the squares are the sums (groupedCellSums keeps one array for both).
    const base = ref ?? { ...earlier, sq: binary ? earlier.sum : new Float64Array(total) };
    const ids = new Int32Array(total).fill(-1);
    const c1s = combo.length === 2 ? current.cardinality[combo[1]!]! : 2;
    for (let w = 0; w < windows; w++) {
      const at = w * total;
      // Cells with a code 0 on any dimension are rows in no slice there; the others are the slices.
      for (let c0 = 1; c0 < current.cardinality[combo[0]!]!; c0++) {
        for (let c1 = 1; c1 < c1s; c1++) {
          const cell = combo.length === 2 ? c0 * stride[0]! + c1 : c0;
          const n1 = cur.size[at + cell]!;
          const n2 = base.size[cell]!;
          if (n1 === 0 || n2 === 0) continue;
          if (n1 < minSupport || n2 < minSupport) {
            out.tooSmall++;
            continue;
          }
          const test = welchFromSums(n1, cur.sum[at + cell]!, cur.sq[at + cell]!, n2, base.sum[cell]!, base.sq[cell]!)!;
          if (ids[cell] === -1) {
            ids[cell] = out.slices.length;
            out.slices.push({ dims: combo, codes: combo.length === 2 ? [c0, c1] : [c0] });
          }
          out.slice.push(ids[cell]!);
          out.window.push(w);
          out.n.push(n1);
          out.sum.push(cur.sum[at + cell]!);
          out.squares.push(cur.sq[at + cell]!);
          out.baselineN.push(n2);
          out.baselineSum.push(base.sum[cell]!);
          out.t.push(test.t);
          out.p.push(test.p);
        }
      }
      if (!ref) {
        // Earlier windows become the baseline for later ones.
        for (let j = 0; j < total; j++) {
          base.size[j]! += cur.size[at + j]!;
          base.sum[j]! += cur.sum[at + j]!;
          if (!binary) base.sq[j]! += cur.sq[at + j]!;
        }
      }
    }
  }
  progress(null);
  out.q = benjaminiHochberg(out.p);
  return out;
}

/** Comparison i as the numbers a table shows. */
export function windowComparison(c: SliceWindowComparisons, i: number): WorsenedWindow {
  const metric = c.sum[i]! / c.n[i]!;
  const baseline = c.baselineSum[i]! / c.baselineN[i]!;
  return {
    window: c.windowStarts[c.window[i]!]!,
    n: c.n[i]!,
    metric,
    baseline_n: c.baselineN[i]!,
    baseline_metric: baseline,
    difference: metric - baseline,
    t: c.t[i]!,
    p_value: c.p[i]!,
    q_value: c.q[i]!,
  };
}

/**
 * A slice (one or two conditions) significantly worse than its baseline in consecutive windows: the
 * numbers are those of the first window (the onset), `window_end` is the start of the last one.
 */
export interface WorsenedRun extends WorsenedSlice {
  where: string;
  window_end: number | null;
  /** Every window of the run, in time order. */
  byWindow: WorsenedWindow[];
}

export interface WorsenedRuns {
  baseline: 'reference' | 'earlier windows';
  minSupport: number;
  fdr: number;
  /** Slice x window comparisons made: the false-discovery family. */
  compared: number;
  /** Slice x window cells with rows on both sides but fewer than minSupport on one: never compared. */
  tooSmall: number;
  /** Two-condition runs dropped as explained by one of their conditions. */
  subsumed: number;
  /** Runs found (before the limit). */
  found: number;
  runs: WorsenedRun[];
}

/**
 * "Since when" for slices that got worse: consecutive windows (of the log's windows, in time order) in
 * which a slice is significantly worse than its baseline (q < fdr, a higher mean; `compareSliceWindows`)
 * form one run, reported from its first window (the onset) to its last.
 * A two-condition run is dropped when, in its onset window, one of its conditions alone is significantly
 * worse too and the slice is not worse than that condition's other rows there by at least `minEffect`
 * (Slice Finder's effect size; the ranking's rule for the same question): its change is the condition's,
 * listed on its own. Runs are ordered by their strongest window (smallest q, then the larger increase),
 * then by onset.
 */
export async function worsenedRunsFromEncoded(
  dims: Dimension[],
  current: EncodedRows,
  reference: EncodedRows | undefined,
  options: WorsenedRunOptions = {},
): Promise<WorsenedRuns> {
  const fdr = options.fdr ?? SLICE_DEFAULTS.fdr;
  const minEffect = options.minEffect ?? SLICE_DEFAULTS.minEffect;
  const c = await compareSliceWindows(current, reference, options);
  const increase = (i: number) => c.sum[i]! / c.n[i]! - c.baselineSum[i]! / c.baselineN[i]!;
  const stronger = (x: number, y: number) => c.q[x]! < c.q[y]! || (c.q[x] === c.q[y] && increase(x) > increase(y));
  // Per slice, its significantly worse windows in time order (comparisons were made window by window).
  const bySlice = new Map<number, number[]>();
  const singleWorse = new Map<string, number>();
  for (let i = 0; i < c.q.length; i++) {
    if (!(c.q[i]! < fdr && increase(i) > 0)) continue;
    const s = c.slice[i]!;
    const list = bySlice.get(s);
    if (list) list.push(i);
    else bySlice.set(s, [i]);
    const slice = c.slices[s]!;
    if (slice.dims.length === 1) singleWorse.set(`${slice.dims[0]}:${slice.codes[0]}:${c.window[i]}`, i);
  }
  const explained = (i: number): boolean => {
    const slice = c.slices[c.slice[i]!]!;
    return slice.dims.some((d, k) => {
      const parent = singleWorse.get(`${d}:${slice.codes[k]}:${c.window[i]}`);
      if (parent === undefined) return false;
      const within = effectSizeFromSums(
        c.n[i]!,
        c.sum[i]!,
        c.squares[i]!,
        c.n[parent]! - c.n[i]!,
        c.sum[parent]! - c.sum[i]!,
        c.squares[parent]! - c.squares[i]!,
      );
      return within === undefined || within < minEffect;
    });
  };
  const runs: { run: WorsenedRun; best: number }[] = [];
  let subsumed = 0;
  for (const [s, list] of bySlice) {
    const slice = c.slices[s]!;
    for (let j = 0; j < list.length;) {
      let end = j;
      while (end + 1 < list.length && c.window[list[end + 1]!] === c.window[list[end]!]! + 1) end++;
      const members = list.slice(j, end + 1);
      j = end + 1;
      if (slice.dims.length === 2 && explained(members[0]!)) {
        subsumed++;
        continue;
      }
      const byWindow = members.map((i) => windowComparison(c, i));
      runs.push({
        run: { ...describeSlice(dims, slice), ...byWindow[0]!, window_end: byWindow[byWindow.length - 1]!.window, byWindow },
        best: members.reduce((x, y) => (stronger(y, x) ? y : x)),
      });
    }
  }
  runs.sort(
    (x, y) =>
      c.q[x.best]! - c.q[y.best]! ||
      increase(y.best) - increase(x.best) ||
      (x.run.window ?? 0) - (y.run.window ?? 0) ||
      x.run.predicates.length - y.run.predicates.length ||
      (x.run.label < y.run.label ? -1 : x.run.label > y.run.label ? 1 : 0),
  );
  return {
    baseline: c.baseline,
    minSupport: c.minSupport,
    fdr,
    compared: c.q.length,
    tooSmall: c.tooSmall,
    subsumed,
    found: runs.length,
    runs: runs.slice(0, options.limit ?? 20).map((r) => r.run),
  };
}
