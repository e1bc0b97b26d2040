import type { Db } from '../db';
import type { PerfSpec } from '../metrics/spec';
import type { SqlLike } from '../sql';
import type { Dimension, SlicePredicate } from './dimensions';
import { encodeRows, type EncodedRows } from './encode';
import { defaultRowError, rowErrorSql, type RowErrorName } from './rowError';
import { benjaminiHochberg, welchFromSums } from './significance';

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
    windowSql?: SqlLike;
    reference?: PerfSpec;
    referenceWindowSql?: SqlLike;
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
