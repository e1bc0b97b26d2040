import { reconstructionDrift, type ReconstructionDrift, type ReconstructionDriftOptions } from '../../lib/multivariate/reconstructionDrift';
import type { DriftTables } from '../../lib/drift/sql';
import { callKey, type CallContext, type Scheduler } from '../scheduler';

export type { ReconstructionDrift };
export type ReconstructionRequest = Omit<ReconstructionDriftOptions, 'signal' | 'onProgress'>;

/** Drift of the columns together: the reconstruction error of a PCA fitted on the reference. */
export function multivariateApi(scheduler: Scheduler) {
  return {
    reconstructionDrift(
      ctx: CallContext,
      t: DriftTables,
      request: ReconstructionRequest = {},
      onProgress?: (done: number, total: number) => void,
    ): Promise<ReconstructionDrift> {
      return scheduler.run(
        ctx,
        ({ db, signal }) => reconstructionDrift(db, t, { ...request, signal, onProgress: (done, total) => void onProgress?.(done, total) }),
        { key: callKey('reconstructionDrift', t, request), cache: true, tables: [t.reference, t.current] },
      );
    },
  };
}
