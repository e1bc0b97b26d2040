import type { TreeEnsemble } from '../model/ensemble';

/**
 * SHAP values in the model's raw margin (log-odds for logistic objectives). Per row and output,
 * sum(values) + expectedValue = margin.
 */
export interface ShapResult {
  rows: number;
  numFeatures: number;
  numOutputs: number;
  /** values[(row * numOutputs + output) * numFeatures + feature] */
  values: Float64Array;
  /** Per output. */
  expectedValue: Float64Array;
}

export interface ShapOptions {
  signal?: AbortSignal;
  /** Called about a hundred times per call with rows done so far. */
  onProgress?: (done: number, total: number) => void;
}

export function emptyResult(e: TreeEnsemble, rows: number, expectedValue: Float64Array): ShapResult {
  const numFeatures = e.featureNames.length;
  return { rows, numFeatures, numOutputs: e.numOutputs, values: new Float64Array(rows * e.numOutputs * numFeatures), expectedValue };
}

/** One row's values for one output, as a plain array. */
export function rowValues(result: ShapResult, row: number, output = 0): number[] {
  const start = (row * result.numOutputs + output) * result.numFeatures;
  return Array.from(result.values.subarray(start, start + result.numFeatures));
}

/** Joins results of consecutive row blocks (as computed by workers) into one. */
export function concatResults(parts: readonly ShapResult[]): ShapResult {
  const first = parts[0];
  if (!first) throw new Error('concatResults needs at least one part');
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const values = new Float64Array(parts.reduce((n, p) => n + p.values.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p.values, at);
    at += p.values.length;
  }
  return { rows, numFeatures: first.numFeatures, numOutputs: first.numOutputs, values, expectedValue: first.expectedValue };
}
