import { reconstructionDrift, type ReconstructionDrift, type ReconstructionDriftOptions } from '../../lib/multivariate/reconstructionDrift';
import type { DriftTables } from '../../lib/drift/sql';
import { textColumnDrift, type TextColumnDrift } from '../../lib/multivariate/textColumn';
import { domainClassifierFor, type DomainClassifierDrift, type DomainRequest } from '../../lib/multivariate/domainClassifier';
import { embeddingColumnDrift, type EmbeddingColumnDrift, type EmbeddingRequest } from '../../lib/multivariate/embeddingVectors';
import type { EmbeddingColumn } from '../../lib/multivariate/embeddingColumns';
import { callKey, type CallContext, type Scheduler } from '../scheduler';

export type {
  ReconstructionDrift,
  TextColumnDrift,
  DomainClassifierDrift,
  DomainRequest,
  EmbeddingColumn,
  EmbeddingColumnDrift,
  EmbeddingRequest,
};
export type ReconstructionRequest = Omit<ReconstructionDriftOptions, 'signal' | 'onProgress'>;

/**
 * Drift beyond single columns: the columns together (the reconstruction error of a PCA fitted on the
 * reference), free text (descriptors and a domain classifier on TF-IDF) and embeddings (a domain
 * classifier, the distance between mean vectors, MMD, and a 2-D projection).
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

    embeddingDrift(
      ctx: CallContext,
      t: DriftTables,
      embedding: EmbeddingColumn,
      request: EmbeddingRequest = {},
      onProgress?: (done: number, total: number) => void,
    ): Promise<EmbeddingColumnDrift> {
      return scheduler.run(
        ctx,
        ({ db, signal }) =>
          embeddingColumnDrift(db, t, embedding, { ...request, signal, onProgress: (done, total) => void onProgress?.(done, total) }),
        { key: callKey('embeddingDrift', t, embedding, request), cache: true, tables: [t.reference, t.current] },
      );
    },
  };
}
