// The helper thread's loop (see nodeStats.ts): one numerical batch per message, answered by id.
import { parentPort } from 'node:worker_threads';
import { numericalBatchDrift, type NumericalBatchJob } from '../lib/drift/numericalBatch';
import { LanternError } from '../lib/errors';

parentPort?.on('message', ({ id, job }: { id: number; job: NumericalBatchJob }) => {
  try {
    parentPort!.postMessage({ id, result: numericalBatchDrift(job) });
  } catch (e) {
    parentPort!.postMessage({
      id,
      error: e instanceof Error ? e.message : String(e),
      code: e instanceof LanternError ? e.code : undefined,
    });
  }
});
