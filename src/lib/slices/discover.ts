import type { Db } from '../db';
import type { PerfSpec } from '../metrics/spec';
import { defaultMinSupport } from './defaults';
import { join, raw, sql } from '../sql';
import type { Dimension, SlicePredicate } from './dimensions';
import { encodeRows, type EncodedRows } from './encode';
import { defaultRowError, rowErrorSql, type RowErrorName } from './rowError';
import { benjaminiHochberg, welchFromSums } from './significance';
import { sliceLine, type SliceLineOptions, type SliceLineResult, type SliceStats } from './sliceline';

export interface DiscoveredSlice {
  predicates: SlicePredicate[];
  label: string;
  /** SQL condition selecting the slice's rows. */
  where: string;
  n: number;
  /** Mean per-row error in the slice. */
  metric: number;
  /** Mean per-row error over all labelled rows. */
  overall: number;
  difference: number;
  score: number;
  /** Welch t-test of the slice against the rest, two-sided. */
  p_value: number | null;
  /** Benjamini-Hochberg adjusted over every slice evaluated with enough rows. */
  q_value: number | null;
  significant: boolean;
}

export interface SliceDiscovery {
  metric: RowErrorName;
  overall: number;
  rows: number;
  minSupport: number;
  alpha: number;
  maxDepth: number;
  tested: number;
  levels: SliceLineResult['levels'];
  slices: DiscoveredSlice[];
}

export interface DiscoveryOptions {
  metric?: RowErrorName;
  maxDepth?: number;
  k?: number;
  minSupport?: number;
  alpha?: number;
  /** False discovery rate for `significant`. */
  fdr?: number;
  signal?: AbortSignal;
  onProgress?: SliceLineOptions['onProgress'];
  /** Counting passes shared with the other analyses of the same search. */
  counter?: SliceLineOptions['counter'];
}

/** A slice's conditions in the CLI's JSON shape, as text and as SQL (text too: it is part of the results). */
export function describeSlice(
  dims: Dimension[],
  s: Pick<SliceStats, 'dims' | 'codes'>,
): { predicates: SlicePredicate[]; label: string; where: string } {
  const values = s.dims.map((d, i) => dims[d]!.values[s.codes[i]! - 1]!);
  return {
    predicates: values.map((v) => v.predicate),
    label: values.map((v) => v.label).join(' AND '),
    where: join(
      values.map((v) => sql`(${raw(v.where)})`),
      ' AND ',
    ).text,
  };
}

/** Ranks the slices where the model fails (SliceLine top-k), each with its size, error, difference and significance. */
export function summariseSliceLine(
  dims: Dimension[],
  result: SliceLineResult,
  metric: RowErrorName,
  options: DiscoveryOptions & { minSupport: number },
): SliceDiscovery {
  const test = (s: SliceStats) =>
    welchFromSums(
      s.size,
      s.errorSum,
      s.errorSquares,
      result.rows - s.size,
      result.errorSum - s.errorSum,
      result.errorSquares - s.errorSquares,
    )?.p ?? 1;
  const tested = result.tested;
  const q = benjaminiHochberg(tested.map(test));
  const qOf = new Map(tested.map((s, i) => [s, q[i]!]));
  const fdr = options.fdr ?? 0.05;
  return {
    metric,
    overall: result.averageError,
    rows: result.rows,
    minSupport: options.minSupport,
    alpha: options.alpha ?? 0.95,
    maxDepth: options.maxDepth ?? 3,
    tested: tested.length,
    levels: result.levels,
    slices: result.top.map((s) => {
      const p =
        welchFromSums(
          s.size,
          s.errorSum,
          s.errorSquares,
          result.rows - s.size,
          result.errorSum - s.errorSum,
          result.errorSquares - s.errorSquares,
        )?.p ?? null;
      const qv = qOf.get(s) ?? null;
      return {
        ...describeSlice(dims, s),
        n: s.size,
        metric: s.errorSum / s.size,
        overall: result.averageError,
        difference: s.errorSum / s.size - result.averageError,
        score: s.score,
        p_value: p,
        q_value: qv,
        significant: qv !== null && qv < fdr,
      };
    }),
  };
}

/** Worst-slice discovery over labelled rows: encode in DuckDB, search in JS, describe in the CLI's shape. */
export async function discoverSlices(db: Db, spec: PerfSpec, dims: Dimension[], options: DiscoveryOptions = {}): Promise<SliceDiscovery> {
  const metric = options.metric ?? defaultRowError(spec);
  const encoded = await encodeRows(db, spec, dims, rowErrorSql(spec, metric), { signal: options.signal });
  return discoverInEncoded(dims, encoded, metric, options);
}

/** Discovery over rows already encoded (so that one pull serves discovery and the worsened-slice comparisons). */
export async function discoverInEncoded(
  dims: Dimension[],
  encoded: EncodedRows,
  metric: RowErrorName,
  options: DiscoveryOptions = {},
): Promise<SliceDiscovery> {
  const minSupport = options.minSupport ?? defaultMinSupport(encoded.errors.length);
  const result = await sliceLine(
    encoded,
    {
      k: options.k ?? 10,
      maxDepth: options.maxDepth ?? 3,
      minSupport,
      alpha: options.alpha ?? 0.95,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.counter ? { counter: options.counter } : {}),
    },
    options.signal,
  );
  return summariseSliceLine(dims, result, metric, { ...options, minSupport });
}
