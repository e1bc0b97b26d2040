import type { Dimension } from './dimensions';
import { discoverInEncoded, type SliceDiscovery } from './discover';
import { pickDimensions, type EncodedRows } from './encode';
import type { RowErrorName } from './rowError';
import type { SliceSearchProgress } from './sliceline';
import { worsenedFromEncoded, type WorsenedSlice } from './worsened';

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
  /** Slices listed (SliceLine's top k, and at most this many worsened slices past the default 20). */
  k?: number;
  minSupport?: number;
  /** Dimensions (indexes) compared window against earlier windows. */
  worsenedDims: number[];
  /** Dimensions (indexes) compared against the reference, and the reference's rows on exactly those. */
  reference?: { dims: number[]; rows: EncodedRows };
}

export interface SliceSearchResult {
  discovery: SliceDiscovery;
  worsened: WorsenedSlice[];
  worsenedVsReference: WorsenedSlice[] | null;
  /** Milliseconds of SliceLine (with its tests) alone. */
  searchMs: number;
}

export type SliceSearcher = (
  request: SliceSearchRequest,
  options: { signal?: AbortSignal; onProgress?: (p: SliceSearchProgress) => void },
) => Promise<SliceSearchResult>;

/** Discovery, then the worsened-slice comparisons (against earlier windows and the reference), in this thread. */
export const searchSlices: SliceSearcher = async (request, options) => {
  const { dims, rows } = request;
  const started = performance.now();
  const discovery = await discoverInEncoded(dims, rows, request.metric, {
    maxDepth: request.maxDepth,
    ...(request.k !== undefined ? { k: request.k } : {}),
    ...(request.minSupport !== undefined ? { minSupport: request.minSupport } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const searchMs = performance.now() - started;
  const pick = (indexes: number[]) => indexes.map((i) => dims[i]!);
  const limit = { limit: Math.max(20, request.k ?? 0) };
  const worsened = worsenedFromEncoded(pick(request.worsenedDims), pickDimensions(rows, request.worsenedDims), undefined, limit);
  const ref = request.reference;
  const worsenedVsReference = ref ? worsenedFromEncoded(pick(ref.dims), pickDimensions(rows, ref.dims, false), ref.rows, limit) : null;
  return { discovery, worsened, worsenedVsReference, searchMs };
};
