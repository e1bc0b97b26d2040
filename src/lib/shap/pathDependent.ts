import { LanternError, throwIfAborted } from '../errors';
import type { TreeEnsemble } from '../model/ensemble';
import { goesLeft } from '../model/predict';
import { RecursiveTreeShap } from './pathRecursive';
import { buildPathTables, type PathTables } from './pathTables';
import { emptyResult, type ShapOptions, type ShapResult } from './result';

/**
 * Path-dependent TreeSHAP (as shap's feature_perturbation="tree_path_dependent" and xgboost's
 * pred_contribs): the value of a feature subset is the expected prediction when the other features
 * follow the training covers down the tree. Build once per model (tables take a few MB for 200 depth-6
 * trees), then explain any number of rows.
 */
export class PathDependentExplainer {
  readonly tables: PathTables;
  private readonly recursive: RecursiveTreeShap;
  private readonly mask: Int32Array;

  constructor(readonly model: TreeEnsemble) {
    for (let i = 0; i < model.cover.length; i++) {
      if (!(model.cover[i]! >= 0)) {
        throw new LanternError(
          'unsupported-model',
          'This model file has no training covers (node counts or hessians), which path-dependent TreeSHAP needs. ' +
            'Give a background sample to explain it interventionally.',
        );
      }
    }
    this.tables = buildPathTables(model);
    this.recursive = new RecursiveTreeShap(model);
    let largest = 1;
    for (let t = 0; t < model.numTrees; t++) largest = Math.max(largest, model.nodeCountOf[t]!);
    this.mask = new Int32Array(largest);
  }

  /** The base value per output: the cover-weighted mean prediction in margin space. */
  expectedValue(): Float64Array {
    const out = Float64Array.from(this.model.baseMargin);
    for (let k = 0; k < out.length; k++) out[k]! += this.tables.expectedValue[k]!;
    return out;
  }

  /** Explains `rows` rows of the row-major matrix X (NaN = missing). */
  explain(X: Float64Array, rows: number, options: ShapOptions = {}): ShapResult {
    const e = this.model;
    const result = emptyResult(e, rows, this.expectedValue());
    const F = e.featureNames.length;
    const K = e.numOutputs;
    const every = Math.max(1, Math.floor(rows / 100));
    for (let r = 0; r < rows; r++) {
      if (r % every === 0) {
        throwIfAborted(options.signal);
        options.onProgress?.(r, rows);
      }
      this.explainRow(X, r * F, result.values, r * K * F);
    }
    options.onProgress?.(rows, rows);
    return result;
  }

  private explainRow(X: Float64Array, xOffset: number, phi: Float64Array, phiOffset: number): void {
    const e = this.model;
    const tb = this.tables;
    const { left, right, feature, rootOf, groupOf } = e;
    const { bit, order, orderStart, leaves, leafStart, leafDepth, featStart, leafFeature, leafRatio, tableStart, table } = tb;
    const mask = this.mask;
    const F = e.featureNames.length;
    for (let t = 0; t < e.numTrees; t++) {
      const out = phiOffset + groupOf[t]! * F;
      if (tb.tabled[t] === 0) {
        this.recursive.addTree(t, X, xOffset, phi, out);
        continue;
      }
      const root = rootOf[t]!;
      if (left[root]! < 0) continue;
      mask[0] = -1;
      for (let i = orderStart[t]!, end = orderStart[t + 1]!; i < end; i++) {
        const node = order[i]!;
        const m = mask[node - root]!;
        const cleared = m & ~(1 << bit[node]!);
        if (goesLeft(e, node, X[xOffset + feature[node]!]!)) {
          mask[left[node]! - root] = m;
          mask[right[node]! - root] = cleared;
        } else {
          mask[left[node]! - root] = cleared;
          mask[right[node]! - root] = m;
        }
      }
      for (let k = leafStart[t]!, end = leafStart[t + 1]!; k < end; k++) {
        const d = leafDepth[k]!;
        const pattern = mask[leaves[k]! - root]! & ((1 << d) - 1);
        const ts = tableStart[k]!;
        const whenUnmet = table[ts + pattern]!;
        const fs = featStart[k]!;
        for (let j = 0; j < d; j++) {
          const f = out + leafFeature[fs + j]!;
          if ((pattern >> j) & 1) phi[f]! += leafRatio[fs + j]! * table[ts + (pattern ^ (1 << j))]!;
          else phi[f]! -= whenUnmet;
        }
      }
    }
  }
}

/** Reference implementation: Algorithm 2 for every tree, no tables. For tests and cross-checks. */
export function treeShapPathDependentRecursive(e: TreeEnsemble, X: Float64Array, rows: number): ShapResult {
  const explainer = new PathDependentExplainer(e);
  const result = emptyResult(e, rows, explainer.expectedValue());
  const recursive = new RecursiveTreeShap(e);
  const F = e.featureNames.length;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < e.numTrees; t++) recursive.addTree(t, X, r * F, result.values, (r * e.numOutputs + e.groupOf[t]!) * F);
  }
  return result;
}

export function treeShapPathDependent(e: TreeEnsemble, X: Float64Array, rows: number, options: ShapOptions = {}): ShapResult {
  return new PathDependentExplainer(e).explain(X, rows, options);
}
