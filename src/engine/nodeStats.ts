/**
 * The drift report's helper thread in Node (CLI, bench): numerical batches go to a worker thread while
 * DuckDB-WASM, single-threaded, pulls the next batch, as the browser engine does with its nested worker
 * (browserStats.ts). The worker runs the same TypeScript through tsx (nodeStatsWorker.mjs).
 */
import { Worker } from 'node:worker_threads';
import type { NumericalBatchColumn, NumericalBatchRunner } from '../lib/drift/numericalBatch';
import { LanternError } from '../lib/errors';
import { helperFailed, ownedBytes, whenAborted } from './batchTransfer';

type Reply = { id: number; result: NumericalBatchColumn[] } | { id: number; error: string; code?: string };

export interface NodeStatsThread {
  run: NumericalBatchRunner;
  /** Ends the thread (it never keeps the process alive, but tests and long-lived hosts may stop it). */
  close(): Promise<void>;
}

export function nodeStatsThread(): NodeStatsThread {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: NumericalBatchColumn[]) => void; reject: (e: unknown) => void }>();
  const failAll = (error: unknown) => {
    for (const p of pending.values()) p.reject(helperFailed(error));
    pending.clear();
    worker = null;
  };
  const start = () => {
    const w = new Worker(new URL('./nodeStatsWorker.mjs', import.meta.url));
    // An idle helper must not keep the CLI process alive.
    w.unref();
    w.on('message', (reply: Reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if ('result' in reply) p.resolve(reply.result);
      else p.reject(reply.code ? new LanternError(reply.code as LanternError['code'], reply.error) : new Error(reply.error));
      if (pending.size === 0) w.unref();
    });
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`exit code ${code}`)));
    return w;
  };
  // Started now: loading tsx and the core in the thread overlaps the first pull.
  worker = start();
  return {
    run: async (job, signal) => {
      worker ??= start();
      const id = nextId++;
      const [reference, current] = [ownedBytes(job.reference), ownedBytes(job.current)];
      const result = new Promise<NumericalBatchColumn[]>((resolve, reject) => pending.set(id, { resolve, reject }));
      // A batch in progress keeps the process alive until its answer arrives.
      worker.ref();
      worker.postMessage({ id, job: { ...job, reference, current } }, [reference.buffer, current.buffer]);
      try {
        return await Promise.race([result, whenAborted(signal)]);
      } finally {
        pending.delete(id);
        if (pending.size === 0) worker?.unref();
      }
    },
    close: async () => {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
