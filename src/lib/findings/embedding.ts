/**
 * Embeddings that drifted: a vector per row (a list column, or numbered columns emb_0..emb_n) compared as
 * one input, by Evidently's default - a classifier trained to tell log rows from reference rows (see
 * src/lib/multivariate/embeddingDrift.ts). Its numbered columns are not screened one by one: a single
 * dimension of an embedding means nothing to the analyst.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import type { EmbeddingColumn } from '../multivariate/embeddingColumns';
import { embeddingColumnDrift } from '../multivariate/embeddingVectors';
import { severity } from './severity';
import { fmt } from './text';
import type { Finding } from './types';

/** Vectors a side the investigation reads (a first screen; the Drift view compares every row when asked). */
const SAMPLE = 2000;
/** Embeddings compared at most. */
const MAX_EMBEDDINGS = 4;

export async function embeddingFindings(
  db: Db,
  input: { reference: string; current: string; embeddings: EmbeddingColumn[] },
  signal?: AbortSignal,
): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const embedding of input.embeddings.slice(0, MAX_EMBEDDINGS)) {
    throwIfAborted(signal);
    let r;
    try {
      r = await embeddingColumnDrift(db, { reference: input.reference, current: input.current }, embedding, { sample: SAMPLE, signal });
    } catch (error) {
      if (error instanceof LanternError && error.code !== 'cancelled') continue;
      throw error;
    }
    if (!r.drifted || !('auc' in r.model)) continue;
    const m = r.model;
    const sampled = r.sampled !== null && (r.referenceRows >= r.sampled || r.currentRows >= r.sampled);
    out.push({
      id: `embedding-drift|${embedding.name}`,
      kind: 'drift',
      title: `The embedding ${embedding.name} (${r.dims} numbers a row) drifted: a classifier tells log rows from reference rows with ROC AUC ${fmt(m.auc)} (drift above ${fmt(m.threshold)}); the mean vectors are ${fmt(r.distance.value)} apart`,
      ...(sampled ? { detail: `Measured on ${fmt(r.sampled!)} rows a side, drawn at random; the Drift view compares them all.` } : {}),
      severity: severity({ kind: 'drift', magnitude: (m.auc - 0.5) / Math.max(1e-6, m.threshold - 0.5), reach: 1, contrast: 3 }),
      columns: embedding.source === 'prefix' ? [embedding.name] : embedding.columns,
      segment: [],
      window: null,
      evidence: {
        method: 'domain_classifier',
        statistic: m.auc,
        threshold: m.threshold,
        distance: r.distance.value,
        mmd: 'value' in r.mmd ? r.mmd.value : null,
        p_value: 'pValue' in r.mmd ? r.mmd.pValue : null,
        rows: r.currentRows,
        baseline_rows: r.referenceRows,
      },
      parts: [],
      link: { view: 'drift' },
    });
  }
  return out;
}
