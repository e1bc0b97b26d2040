import type { Db } from '../db';
import type { PerfSpec } from '../metrics/spec';
import { groupedCellSums, pacer, type GroupedSums } from './cells';
import { SLICE_DEFAULTS } from './defaults';
import type { Dimension, SlicePredicate } from './dimensions';
import { describeSlice } from './discover';
import { encodeRows, type EncodedRows } from './encode';
import { defaultRowError, rowErrorSql, type RowErrorName } from './rowError';
import { benjaminiHochberg, effectSizeFromSums, welchFromSums } from './significance';
import type { SliceSearchProgress } from './sliceline';

/** One comparison of a slice in a window with its baseline. */
export interface WorsenedWindow {
  /** Start of the window (epoch ms); null when comparing the whole period. */
  window: number | null;
  n: number;
  metric: number;
  baseline_n: number;
  baseline_metric: number;
  difference: number;
  t: number;
  p_value: number;
  q_value: number;
}

export interface WorsenedSlice extends WorsenedWindow {
  predicates: SlicePredicate[];
  label: string;
}

interface Acc {
  n: Float64Array;
  s: Float64Array;
  q: Float64Array;
}

const acc = (size: number): Acc => ({
  n: new Float64Array(size),
  s: new Float64Array(size),
  q: new Float64Array(size),
});

/**
 * Slices (one predicate: a segment value, a quantile bin, a month...) whose error in a window is higher
 * than the same slice's error in the baseline: the reference data when given, otherwise every earlier
 * window - so a problem that starts in one segment on one date shows up at that date. Each comparison is
 * a one-sided Welch t-test reported two-sided, Benjamini-Hochberg adjusted over all comparisons made;
 * ranked by q-value, then by the size of the increase.
 */
export function worsenedFromEncoded(
  dims: Dimension[],
  current: EncodedRows,
  reference: EncodedRows | undefined,
  options: { minSupport?: number; limit?: number } = {},
): WorsenedSlice[] {
  const minSupport = options.minSupport ?? 30;
  const offsets: number[] = [];
  let total = 0;
  for (const c of current.cardinality) {
    offsets.push(total);
    total += c;
  }
  const windows = current.windowStarts?.length ?? 1;
  const perWindow = Array.from({ length: windows }, () => acc(total));
  const add = (a: Acc, rows: EncodedRows, r: number) => {
    const e = rows.errors[r]!;
    rows.codes.forEach((col, d) => {
      const code = col[r]!;
      if (code === 0) return;
      const j = offsets[d]! + code;
      a.n[j]! += 1;
      a.s[j]! += e;
      a.q[j]! += e * e;
    });
  };
  for (let r = 0; r < current.errors.length; r++) {
    const w = current.window ? current.window[r]! : 0;
    if (w >= 0) add(perWindow[w]!, current, r);
  }
  let base = acc(total);
  if (reference) for (let r = 0; r < reference.errors.length; r++) add(base, reference, r);
  // Every comparison made enters the false-discovery family, worse or not; only the worse are reported.
  const compared: { slice: Omit<WorsenedSlice, 'q_value'>; worse: boolean }[] = [];
  for (let w = 0; w < windows; w++) {
    const cur = perWindow[w]!;
    dims.forEach((dim, d) => {
      for (const v of dim.values) {
        const j = offsets[d]! + v.code;
        const n1 = cur.n[j]!;
        const n2 = base.n[j]!;
        if (n1 < minSupport || n2 < minSupport) continue;
        const test = welchFromSums(n1, cur.s[j]!, cur.q[j]!, n2, base.s[j]!, base.q[j]!);
        if (!test) continue;
        const m1 = cur.s[j]! / n1;
        const m2 = base.s[j]! / n2;
        compared.push({
          worse: m1 > m2,
          slice: {
            predicates: [v.predicate],
            label: v.label,
            window: current.windowStarts ? current.windowStarts[w]! : null,
            n: n1,
            metric: m1,
            baseline_n: n2,
            baseline_metric: m2,
            difference: m1 - m2,
            t: test.t,
            p_value: test.p,
          },
        });
      }
    });
    if (!reference) {
      // Earlier windows become the baseline for later ones.
      const next = acc(total);
      for (let j = 0; j < total; j++) {
        next.n[j] = base.n[j]! + cur.n[j]!;
        next.s[j] = base.s[j]! + cur.s[j]!;
        next.q[j] = base.q[j]! + cur.q[j]!;
      }
      base = next;
    }
  }
  const q = benjaminiHochberg(compared.map((c) => c.slice.p_value));
  return (
    compared
      .map((c, i) => ({ ...c, slice: { ...c.slice, q_value: q[i]! } }))
      .filter((c) => c.worse)
      .map((c) => c.slice)
      .sort((a, b) => a.q_value - b.q_value || b.difference - a.difference)
      // One line per slice: its strongest window.
      .filter((w, i, all) => all.findIndex((x) => x.label === w.label) === i)
      .slice(0, options.limit ?? 20)
  );
}

export async function worsenedSlices(
  db: Db,
  spec: PerfSpec,
  dims: Dimension[],
  options: {
    metric?: RowErrorName;
    windowSql?: string;
    reference?: PerfSpec;
    referenceWindowSql?: string;
    minSupport?: number;
    limit?: number;
    signal?: AbortSignal;
  } = {},
): Promise<WorsenedSlice[]> {
  const metric = options.metric ?? defaultRowError(spec);
  const current = await encodeRows(db, spec, dims, rowErrorSql(spec, metric), {
    windowSql: options.windowSql,
    signal: options.signal,
  });
  const reference = options.reference
    ? await encodeRows(db, options.reference, dims, rowErrorSql(options.reference, metric), { signal: options.signal })
    : undefined;
  return worsenedFromEncoded(dims, current, reference, options);
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
 * the reference when there is one, else in every earlier window - by a Welch t-test (two-sided p),
 * Benjamini-Hochberg over every comparison made. A cell with fewer than `minSupport` rows in the window
 * or its baseline is never compared (only counted). Consecutive windows in which a slice is
 * significantly worse (q < fdr, higher mean) form one run: its first window answers "since when".
 * A two-condition run is dropped when, in its onset window, one of its conditions alone is significantly
 * worse too and the slice is not worse than that condition's other rows there by at least `minEffect`
 * (Slice Finder's effect size; the same rule as the ranking). Runs are ordered by their strongest window
 * (smallest q, then larger increase), then by onset.
 */
export async function worsenedRunsFromEncoded(
  dims: Dimension[],
  current: EncodedRows,
  reference: EncodedRows | undefined,
  options: WorsenedRunOptions = {},
): Promise<WorsenedRuns> {
  const minSupport = Math.max(2, options.minSupport ?? SLICE_DEFAULTS.windowMinSupport);
  const fdr = options.fdr ?? SLICE_DEFAULTS.fdr;
  const minEffect = options.minEffect ?? SLICE_DEFAULTS.minEffect;
  const pause = pacer(options.signal);
  const starts = current.window && current.windowStarts ? current.windowStarts : null;
  const windows = starts ? starts.length : 1;
  const binary = allZeroOne(current.errors) && (!reference || allZeroOne(reference.errors));
  const combos: number[][] = [];
  for (let a = 0; a < dims.length; a++) combos.push([a]);
  for (let a = 0; a < dims.length; a++) for (let b = a + 1; b < dims.length; b++) combos.push([a, b]);

  // One column per field of the comparisons (there can be hundreds of thousands).
  const cmp = {
    slice: [] as number[],
    window: [] as number[],
    n1: [] as number[],
    s1: [] as number[],
    q1: [] as number[],
    n2: [] as number[],
    s2: [] as number[],
    t: [] as number[],
    p: [] as number[],
  };
  const slices: { dims: number[]; codes: number[]; cell: number }[] = [];
  const singles: GroupedSums[] = [];
  let tooSmall = 0;
  for (const [ci, combo] of combos.entries()) {
    await pause();
    options.onProgress?.({ level: combo.length, done: ci, total: combos.length, stage: 'worsened' });
    const cur = groupedCellSums(current, combo, starts ? current.window! : null, windows, binary);
    if (combo.length === 1) singles.push(cur);
    const { total, stride } = cur;
    const ref = reference ? groupedCellSums(reference, combo, null, 1, binary) : null;
    const base = ref ?? { size: new Float64Array(total), sum: new Float64Array(total), sq: new Float64Array(total) };
    const ids = new Int32Array(total).fill(-1);
    const c1s = combo.length === 2 ? current.cardinality[combo[1]!]! : 2;
    for (let w = 0; w < windows; w++) {
      const at = w * total;
      for (let c0 = 1; c0 < current.cardinality[combo[0]!]!; c0++) {
        for (let c1 = 1; c1 < c1s; c1++) {
          const cell = combo.length === 2 ? c0 * stride[0]! + c1 : c0;
          const n1 = cur.size[at + cell]!;
          const n2 = base.size[cell]!;
          if (n1 === 0 || n2 === 0) continue;
          if (n1 < minSupport || n2 < minSupport) {
            tooSmall++;
            continue;
          }
          const test = welchFromSums(n1, cur.sum[at + cell]!, cur.sq[at + cell]!, n2, base.sum[cell]!, base.sq[cell]!)!;
          if (ids[cell] === -1) {
            ids[cell] = slices.length;
            slices.push({ dims: combo, codes: combo.length === 2 ? [c0, c1] : [c0], cell });
          }
          cmp.slice.push(ids[cell]!);
          cmp.window.push(w);
          cmp.n1.push(n1);
          cmp.s1.push(cur.sum[at + cell]!);
          cmp.q1.push(cur.sq[at + cell]!);
          cmp.n2.push(n2);
          cmp.s2.push(base.sum[cell]!);
          cmp.t.push(test.t);
          cmp.p.push(test.p);
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
  const q = benjaminiHochberg(cmp.p);
  const comparison = (i: number): WorsenedWindow => {
    const metric = cmp.s1[i]! / cmp.n1[i]!;
    const baseline = cmp.s2[i]! / cmp.n2[i]!;
    return {
      window: starts ? starts[cmp.window[i]!]! : null,
      n: cmp.n1[i]!,
      metric,
      baseline_n: cmp.n2[i]!,
      baseline_metric: baseline,
      difference: metric - baseline,
      t: cmp.t[i]!,
      p_value: cmp.p[i]!,
      q_value: q[i]!,
    };
  };
  const increase = (i: number) => cmp.s1[i]! / cmp.n1[i]! - cmp.s2[i]! / cmp.n2[i]!;
  const worse = (i: number) => q[i]! < fdr && increase(i) > 0;
  const stronger = (x: number, y: number) => q[x]! < q[y]! || (q[x] === q[y] && increase(x) > increase(y));
  // Per slice, its significantly worse windows in time order (comparisons were made window by window).
  const bySlice = new Map<number, number[]>();
  const singleWorse = new Set<string>();
  for (let i = 0; i < q.length; i++) {
    if (!worse(i)) continue;
    const s = cmp.slice[i]!;
    const list = bySlice.get(s);
    if (list) list.push(i);
    else bySlice.set(s, [i]);
    if (slices[s]!.dims.length === 1) singleWorse.add(`${slices[s]!.dims[0]}:${slices[s]!.codes[0]}:${cmp.window[i]}`);
  }
  const explained = (i: number): boolean => {
    const s = slices[cmp.slice[i]!]!;
    const w = cmp.window[i]!;
    return s.dims.some((d, k) => {
      const code = s.codes[k]!;
      if (!singleWorse.has(`${d}:${code}:${w}`)) return false;
      const parent = singles[d]!;
      const at = w * parent.total + code;
      const within = effectSizeFromSums(
        cmp.n1[i]!,
        cmp.s1[i]!,
        cmp.q1[i]!,
        parent.size[at]! - cmp.n1[i]!,
        parent.sum[at]! - cmp.s1[i]!,
        parent.sq[at]! - cmp.q1[i]!,
      );
      return within === undefined || within < minEffect;
    });
  };
  const runs: { run: WorsenedRun; best: number }[] = [];
  let subsumed = 0;
  for (const [s, list] of bySlice) {
    const slice = slices[s]!;
    for (let j = 0; j < list.length;) {
      let end = j;
      while (end + 1 < list.length && cmp.window[list[end + 1]!] === cmp.window[list[end]!]! + 1) end++;
      const members = list.slice(j, end + 1);
      j = end + 1;
      if (slice.dims.length === 2 && explained(members[0]!)) {
        subsumed++;
        continue;
      }
      const byWindow = members.map(comparison);
      const best = members.reduce((x, y) => (stronger(y, x) ? y : x));
      runs.push({
        run: { ...describeSlice(dims, slice), ...byWindow[0]!, window_end: byWindow[byWindow.length - 1]!.window, byWindow },
        best,
      });
    }
  }
  runs.sort(
    (x, y) =>
      q[x.best]! - q[y.best]! ||
      increase(y.best) - increase(x.best) ||
      (x.run.window ?? 0) - (y.run.window ?? 0) ||
      x.run.predicates.length - y.run.predicates.length ||
      (x.run.label < y.run.label ? -1 : x.run.label > y.run.label ? 1 : 0),
  );
  return {
    baseline: reference ? 'reference' : 'earlier windows',
    minSupport,
    fdr,
    compared: q.length,
    tooSmall,
    subsumed,
    found: runs.length,
    runs: runs.slice(0, options.limit ?? 20).map((r) => r.run),
  };
}
