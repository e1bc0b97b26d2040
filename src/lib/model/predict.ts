import {
  MISSING_NAN,
  MISSING_ZERO,
  SPLIT_LGB_CATEGORICAL,
  SPLIT_LGB_NUMERIC,
  SPLIT_XGB_CATEGORICAL,
  SPLIT_XGB_NUMERIC,
  type TreeEnsemble,
} from './ensemble';

/** LightGBM's kZeroThreshold (include/LightGBM/meta.h): |x| <= 1e-35 counts as zero for MissingType::Zero. */
const LGB_ZERO = 1e-35;

function inSortedSet(categories: Int32Array, start: number, count: number, value: number): boolean {
  for (let i = start; i < start + count; i++) {
    const c = categories[i]!;
    if (c === value) return true;
    if (c > value) return false;
  }
  return false;
}

/**
 * Whether row value `x` goes to the left child of internal node `node`, exactly as the library that
 * trained the model decides it:
 * - XGBoost (src/tree/tree_model.cc, predictor GetNextNode): missing follows default_left, otherwise
 *   float32(x) < split_condition; the feature value is a float32 in XGBoost's DMatrix.
 * - XGBoost categorical (common/categorical.h Decision): categories in the node's set go right;
 *   negative or non-representable categories and categories past the set go left.
 * - LightGBM (include/LightGBM/tree.h NumericalDecision): NaN becomes 0 unless missing type is NaN;
 *   a missing value (NaN, or zero for MissingType::Zero) follows default_left; else x <= threshold.
 * - LightGBM categorical (CategoricalDecision): NaN and negative values go right; categories in the
 *   node's set go left.
 */
export function goesLeft(e: TreeEnsemble, node: number, x: number): boolean {
  switch (e.rule[node]) {
    case SPLIT_XGB_NUMERIC:
      if (x !== x) return e.defaultLeft[node] === 1;
      return Math.fround(x) < e.threshold[node]!;
    case SPLIT_LGB_NUMERIC: {
      const missing = e.missingType[node];
      if (x !== x && missing !== MISSING_NAN) x = 0;
      if ((missing === MISSING_ZERO && x >= -LGB_ZERO && x <= LGB_ZERO) || (missing === MISSING_NAN && x !== x))
        return e.defaultLeft[node] === 1;
      return x <= e.threshold[node]!;
    }
    case SPLIT_XGB_CATEGORICAL: {
      if (x !== x) return e.defaultLeft[node] === 1;
      const cat = Math.trunc(Math.fround(x));
      if (cat < 0 || cat >= 16777216) return true;
      return !inSortedSet(e.categories, e.catStart[node]!, e.catCount[node]!, cat);
    }
    case SPLIT_LGB_CATEGORICAL: {
      if (x !== x) return false;
      const cat = Math.trunc(x);
      if (cat < 0) return false;
      return inSortedSet(e.categories, e.catStart[node]!, e.catCount[node]!, cat);
    }
    default:
      throw new Error(`unknown split rule ${e.rule[node]}`);
  }
}

/** The leaf tree `t` sends row `row` (values at X[offset + feature]) to. */
export function leafOf(e: TreeEnsemble, t: number, X: ArrayLike<number>, offset: number): number {
  let node = e.rootOf[t]!;
  while (e.left[node]! >= 0) node = goesLeft(e, node, X[offset + e.feature[node]!]!) ? e.left[node]! : e.right[node]!;
  return node;
}

/**
 * Raw margins for `rows` rows of a row-major matrix X (rows x featureNames.length; NaN = missing):
 * out[row * numOutputs + k]. Summed in double; XGBoost sums in float32, so its margins differ from these
 * in the 7th significant digit.
 */
export function predictMargin(e: TreeEnsemble, X: Float64Array, rows: number): Float64Array {
  const k = e.numOutputs;
  const f = e.featureNames.length;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) out[r * k + c] = e.baseMargin[c]!;
    for (let t = 0; t < e.numTrees; t++) out[r * k + e.groupOf[t]!]! += e.value[leafOf(e, t, X, r * f)]!;
  }
  return out;
}

/** Maps margins (rows x numOutputs) to what the model's predict() returns: probabilities or values. */
export function marginToPrediction(e: TreeEnsemble, margin: Float64Array): Float64Array {
  const out = new Float64Array(margin.length);
  const k = e.numOutputs;
  switch (e.link) {
    case 'identity':
      out.set(margin);
      break;
    case 'logistic':
    case 'ova-logistic':
      for (let i = 0; i < margin.length; i++) out[i] = 1 / (1 + Math.exp(-e.sigmoidScale * margin[i]!));
      break;
    case 'exp':
      for (let i = 0; i < margin.length; i++) out[i] = Math.exp(margin[i]!);
      break;
    case 'softmax':
      for (let r = 0; r < margin.length; r += k) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, margin[r + c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += out[r + c] = Math.exp(margin[r + c]! - max);
        for (let c = 0; c < k; c++) out[r + c]! /= sum;
      }
      break;
  }
  return out;
}
