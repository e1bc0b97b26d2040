import { CellCounter } from './cells';
import { SLICE_DEFAULTS } from './defaults';
import type { Dimension } from './dimensions';
import { discoverInEncoded, type SliceDiscovery } from './discover';
import { pickDimensions, type EncodedRows } from './encode';
import { rankSlices, type SliceRanking } from './ranked';
import type { RowErrorName } from './rowError';
import type { SliceSearchProgress } from './sliceline';
import { worsenedFromEncoded, type WorsenedSlice } from './worsened';
import { worsenedRunsFromEncoded, type WorsenedRuns } from './worsenedRuns';

/**
 * Everything the JS part of a slice search needs once the rows are encoded: no Db, only typed arrays and
 * plain objects, so it can run where DuckDB is not (a worker of its own in the browser) while the engine
 * answers other queries.
 */
export interface SliceSearchRequest {
  dims: Dimension[];
  rows: EncodedRows;
  metric: RowErrorName;
  maxDepth: number;
  /** Slices listed (SliceLine's top k and the ranking's first k, and at most this many worsened slices past the default 20). */
  k?: number;
  minSupport?: number;
  /** False discovery rate of the ranking and the window comparisons (default SLICE_DEFAULTS.fdr). */
  fdr?: number;
  /** Smallest effect size ranked (default SLICE_DEFAULTS.minEffect). */
  minEffect?: number;
  /** Dimensions (indexes) compared window against earlier windows. */
  worsenedDims: number[];
  /** Dimensions (indexes) compared against the reference, and the reference's rows on exactly those. */
  reference?: { dims: number[]; rows: EncodedRows };
}

export interface SliceSearchResult {
  discovery: SliceDiscovery;
  /** Slices of one or two conditions significantly and clearly worse than the rest, small ones included. */
  ranked: SliceRanking;
  worsened: WorsenedSlice[];
  worsenedVsReference: WorsenedSlice[] | null;
  /**
   * Slices of one or two conditions worse than their baseline in consecutive windows (against the
   * reference when there is one, else earlier windows); null with neither windows nor a reference.
   */
  worsenedRuns: WorsenedRuns | null;
  /** Milliseconds of SliceLine (with its tests) alone. */
  searchMs: number;
  /** Milliseconds of the ranking (its passes SliceLine had not made, and its tests). */
  rankingMs: number;
  /** Milliseconds of all the worsened-slice comparisons. */
  worsenedMs: number;
}

export type SliceSearcher = (
  request: SliceSearchRequest,
  options: { signal?: AbortSignal; onProgress?: (p: SliceSearchProgress) => void },
) => Promise<SliceSearchResult>;

/** Discovery, the ranking, then the worsened-slice comparisons (against earlier windows and the reference), in this thread. */
export const searchSlices: SliceSearcher = async (request, options) => {
  const { dims, rows } = request;
  const started = performance.now();
  const signal = options.signal ? { signal: options.signal } : {};
  const onProgress = options.onProgress ? { onProgress: options.onProgress } : {};
  // One set of counting passes: the ranking reuses SliceLine's one- and two-dimension sums.
  const counter = new CellCounter(rows);
  const discovery = await discoverInEncoded(dims, rows, request.metric, {
    maxDepth: request.maxDepth,
    ...(request.k !== undefined ? { k: request.k } : {}),
    ...(request.minSupport !== undefined ? { minSupport: request.minSupport } : {}),
    ...(request.fdr !== undefined ? { fdr: request.fdr } : {}),
    counter,
    ...signal,
    ...onProgress,
  });
  const searchMs = performance.now() - started;
  const settings = {
    ...(request.fdr !== undefined ? { fdr: request.fdr } : {}),
    ...(request.minEffect !== undefined ? { minEffect: request.minEffect } : {}),
    ...signal,
    ...onProgress,
  };
  const ranked = await rankSlices(dims, rows, {
    ...settings,
    minSupport: discovery.minSupport,
    limit: request.k ?? SLICE_DEFAULTS.k,
    counter,
  });
  const rankedAt = performance.now();
  const pick = (indexes: number[]) => indexes.map((i) => dims[i]!);
  const limit = { limit: Math.max(20, request.k ?? 0) };
  const worsened = worsenedFromEncoded(pick(request.worsenedDims), pickDimensions(rows, request.worsenedDims), undefined, limit);
  const ref = request.reference;
  const worsenedVsReference = ref ? worsenedFromEncoded(pick(ref.dims), pickDimensions(rows, ref.dims, false), ref.rows, limit) : null;
  // Window by window against the reference when there is one (each window of the log against all of it), else against earlier windows.
  const worsenedRuns = ref
    ? await worsenedRunsFromEncoded(pick(ref.dims), pickDimensions(rows, ref.dims), ref.rows, { ...settings, ...limit })
    : rows.window
      ? await worsenedRunsFromEncoded(pick(request.worsenedDims), pickDimensions(rows, request.worsenedDims), undefined, {
          ...settings,
          ...limit,
        })
      : null;
  return {
    discovery,
    ranked,
    worsened,
    worsenedVsReference,
    worsenedRuns,
    searchMs,
    rankingMs: rankedAt - started - searchMs,
    worsenedMs: performance.now() - rankedAt,
  };
};
