/**
 * The engine worker's helper thread for the drift report: numerical batches go to a nested worker
 * (workers/stats.worker.ts) while this worker's single DuckDB thread pulls the next batch and counts the
 * categories. The Arrow bytes are transferred, not copied. If the helper cannot start (a browser without
 * nested workers, a failed load), batches run here, as in Node: slower, never wrong, never stuck.
 */
import { transfer, wrap, type Remote } from 'comlink';
import { LanternError } from '../lib/errors';
import { helperFailed, ownedBytes, whenAborted } from './batchTransfer';
import { numericalBatchDrift, runInThisThread, type NumericalBatchJob, type NumericalBatchRunner } from '../lib/drift/numericalBatch';

type StatsApi = { numericalBatchDrift: typeof numericalBatchDrift };

interface Helper {
  api: Remote<StatsApi>;
  /** Rejects when the worker fails (a load or runtime error): a pending Comlink call would wait forever. */
  failed: Promise<never>;
}

export function browserNumericalBatchRunner(): NumericalBatchRunner {
  let helper: Helper | null = null;
  const start = (): Helper | null => {
    if (typeof Worker === 'undefined') return null;
    try {
      const worker = new Worker(new URL('../../workers/stats.worker.ts', import.meta.url), { type: 'module', name: 'lantern-stats' });
      const failed = new Promise<never>((_, reject) =>
        worker.addEventListener('error', (e) => reject(new Error(e.message || 'stats worker failed'))),
      );
      failed.catch(() => undefined);
      return { api: wrap<StatsApi>(worker), failed };
    } catch {
      return null;
    }
  };
  // Started now, with the engine: the worker's script loads while the first batch is pulled.
  helper = start();
  return async (job, signal) => {
    if (!helper) return runInThisThread(job, signal);
    // The bytes must own their whole buffer to be transferred (a view of a larger buffer is copied).
    const [reference, current] = [ownedBytes(job.reference), ownedBytes(job.current)];
    const call = helper.api.numericalBatchDrift(
      transfer({ ...job, reference, current } satisfies NumericalBatchJob, [reference.buffer, current.buffer]),
    );
    try {
      return await Promise.race([call, helper.failed, whenAborted(signal)]);
    } catch (e) {
      if (signal?.aborted || e instanceof LanternError) throw e;
      // The helper died: this batch's bytes went with it, so the report fails once with a clear cause;
      // later reports run in this thread.
      helper = null;
      throw helperFailed(e);
    }
  };
}
