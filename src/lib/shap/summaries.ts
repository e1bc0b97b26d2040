import type { ShapResult } from './result';

/** Global importance: mean |SHAP| per feature for one output (shap's bar plot). */
export function meanAbsShap(result: ShapResult, output = 0): Float64Array {
  const { rows, numFeatures: F, numOutputs: K, values } = result;
  const out = new Float64Array(F);
  if (rows === 0) return out;
  for (let r = 0; r < rows; r++) {
    const base = (r * K + output) * F;
    for (let f = 0; f < F; f++) out[f]! += Math.abs(values[base + f]!);
  }
  for (let f = 0; f < F; f++) out[f]! /= rows;
  return out;
}

/** Feature indices ordered by importance, most important first (ties keep model order). */
export function featureOrder(importance: Float64Array): number[] {
  return Array.from(importance.keys()).sort((a, b) => importance[b]! - importance[a]! || a - b);
}

/** One feature's SHAP values over all rows, for one output (beeswarm and dependence plots). */
export function featureColumn(result: ShapResult, feature: number, output = 0): Float64Array {
  const { rows, numFeatures: F, numOutputs: K, values } = result;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = values[(r * K + output) * F + feature]!;
  return out;
}
