import type { TreeEnsemble } from '../model/ensemble';
import type { ShapResult } from './result';

/**
 * The JSON the CLI prints: values[row][feature] with a number expected_value, or for
 * multi-class models values[class][row][feature] with one expected value per class, like shap's
 * TreeExplainer output.
 */
export interface ShapJson {
  features: string[];
  expected_value: number | number[];
  values: number[][] | number[][][];
}

export function shapToJson(model: TreeEnsemble, result: ShapResult): ShapJson {
  const { rows, numFeatures: F, numOutputs: K, values } = result;
  const block = (k: number) => Array.from({ length: rows }, (_, r) => Array.from(values.subarray((r * K + k) * F, (r * K + k + 1) * F)));
  if (K === 1) return { features: model.featureNames.slice(), expected_value: result.expectedValue[0]!, values: block(0) };
  return {
    features: model.featureNames.slice(),
    expected_value: Array.from(result.expectedValue),
    values: Array.from({ length: K }, (_, k) => block(k)),
  };
}
