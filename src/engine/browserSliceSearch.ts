import { proxy, wrap, type Remote } from 'comlink';
import { LanternError } from '../lib/errors';
import { searchSlices, type SliceSearcher, type SliceSearchRequest, type SliceSearchResult } from '../lib/slices/search';
import type { SliceSearchProgress } from '../lib/slices/sliceline';

/** The API of the slice-search worker (workers/slices.worker.ts). */
export function sliceSearchApi() {
  return {
    search(request: SliceSearchRequest, onProgress?: (p: SliceSearchProgress) => void): Promise<SliceSearchResult> {
      return searchSlices(request, onProgress ? { onProgress } : {});
    },
  };
}

type SearchApi = ReturnType<typeof sliceSearchApi>;

const cancelled = () => new LanternError('cancelled', 'Cancelled.');

/**
 * A SliceSearcher for the engine worker: the JS search (seconds of CPU at 1M rows) runs in a worker of
 * its own, started on first use and kept for later searches, so that the engine worker and DuckDB serve
 * the view's other queries meanwhile and a second core can do the counting. The encoded rows are copied
 * (the engine keeps its own for the next threshold). Cancelling terminates the busy worker (its counting
 * loop cannot hear a message) and the next search starts a fresh one. Where workers cannot start workers,
 * the search runs in this thread as before.
 */
export function workerSliceSearcher(): SliceSearcher {
  if (typeof Worker === 'undefined') return searchSlices;
  let current: { worker: Worker; api: Remote<SearchApi> } | null = null;
  return (request, { signal, onProgress }) => {
    if (signal?.aborted) return Promise.reject(cancelled());
    const member = (current ??= (() => {
      const worker = new Worker(new URL('../../workers/slices.worker.ts', import.meta.url), { type: 'module', name: 'lantern-slices' });
      return { worker, api: wrap<SearchApi>(worker) };
    })());
    return new Promise<SliceSearchResult>((resolve, reject) => {
      const stop = (error: Error) => {
        member.worker.terminate();
        if (current === member) current = null;
        reject(error);
      };
      const abort = () => stop(cancelled());
      // A worker that cannot start (or dies) never answers: fail the search instead of waiting forever.
      const failed = (e: ErrorEvent) => stop(new Error(`The slice search worker stopped: ${e.message || 'it could not start'}.`));
      signal?.addEventListener('abort', abort, { once: true });
      member.worker.addEventListener('error', failed);
      member.api
        .search(request, onProgress ? proxy(onProgress) : undefined)
        .then(resolve, reject)
        .finally(() => {
          signal?.removeEventListener('abort', abort);
          member.worker.removeEventListener('error', failed);
        });
    });
  };
}
