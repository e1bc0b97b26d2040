import { reconstructionDrift, type ReconstructionDrift, type ReconstructionDriftOptions } from '../../lib/multivariate/reconstructionDrift';
import type { DriftTables } from '../../lib/drift/sql';
import { textColumnDrift, type TextColumnDrift } from '../../lib/multivariate/textColumn';
import { domainClassifierFor, type DomainClassifierDrift, type DomainRequest } from '../../lib/multivariate/domainClassifier';
import { callKey, type CallContext, type Scheduler } from '../scheduler';

export type { ReconstructionDrift, TextColumnDrift, DomainClassifierDrift, DomainRequest };
export type ReconstructionRequest = Omit<ReconstructionDriftOptions, 'signal' | 'onProgress'>;

/**
 * Drift beyond single columns: the columns together (the reconstruction error of a PCA fitted on the
 * reference) and free text (descriptors and a domain classifier on TF-IDF).
 */
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

    domainClassifierDrift(
      ctx: CallContext,
      t: DriftTables,
      request: DomainRequest,
      onProgress?: (done: number, total: number) => void,
    ): Promise<DomainClassifierDrift> {
      return scheduler.run(
        ctx,
        ({ db, signal }) => domainClassifierFor(db, t, request, { signal, onProgress: (done, total) => void onProgress?.(done, total) }),
        { key: callKey('domainClassifierDrift', t, request), cache: true, tables: [t.reference, t.current] },
      );
    },

    textColumnDrift(
      ctx: CallContext,
      t: DriftTables,
      column: string,
      request: { sample?: number } = {},
      onProgress?: (done: number, total: number) => void,
    ): Promise<TextColumnDrift> {
      return scheduler.run(
        ctx,
        ({ db, signal }) =>
          textColumnDrift(db, t, column, { ...request, signal, onProgress: (done, total) => void onProgress?.(done, total) }),
        { key: callKey('textColumnDrift', t, column, request), cache: true, tables: [t.reference, t.current] },
      );
    },
  };
}
