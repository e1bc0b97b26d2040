import { LanternError, throwIfAborted } from '../errors';
import type { TreeEnsemble } from '../model/ensemble';
import { goesLeft, predictMargin } from '../model/predict';
import { emptyResult, type ShapOptions, type ShapResult } from './result';

/**
 * Interventional TreeSHAP (shap's feature_perturbation="interventional"; Lundberg et al. 2020, "From
 * local explanations to global understanding with explainable AI for trees", Methods): the value of a
 * feature subset S for row x is the mean over background rows z of f(x_S, z_rest). For one pair (x, z)
 * a tree's game is solved exactly by walking the tree once: where x and z go the same way nothing is
 * decided; where they part on feature j, j joins the "x side" A (take x's branch) or the "z side" B,
 * and a leaf reached with sides A and B adds v (|A|-1)! |B|! / (|A|+|B|)! to each member of A and
 * subtracts v |A|! (|B|-1)! / (|A|+|B|)! from each member of B. Cost: rows x background x nodes visited.
 */
export class InterventionalExplainer {
  private readonly side: Int8Array;
  private readonly members: Int32Array;
  private readonly weightA: Float64Array;
  private readonly weightB: Float64Array;
  private readonly width: number;
  readonly expected: Float64Array;

  constructor(
    readonly model: TreeEnsemble,
    private readonly background: Float64Array,
    private readonly backgroundRows: number,
  ) {
    if (backgroundRows < 1) throw new LanternError('no-rows', 'The background sample has no rows; interventional SHAP needs at least one.');
    const F = model.featureNames.length;
    this.side = new Int8Array(F);
    this.members = new Int32Array(model.maxDepth + 1);
    // weightA[a * width + b] = (a-1)! b! / (a+b)!, weightB[...] = a! (b-1)! / (a+b)!
    const width = model.maxDepth + 2;
    this.width = width;
    this.weightA = new Float64Array(width * width);
    this.weightB = new Float64Array(width * width);
    const fact = [1];
    for (let i = 1; i <= 2 * width; i++) fact[i] = fact[i - 1]! * i;
    for (let a = 0; a < width; a++) {
      for (let b = 0; b < width; b++) {
        if (a > 0) this.weightA[a * width + b] = (fact[a - 1]! * fact[b]!) / fact[a + b]!;
        if (b > 0) this.weightB[a * width + b] = (fact[a]! * fact[b - 1]!) / fact[a + b]!;
      }
    }
    const margins = predictMargin(model, background, backgroundRows);
    const K = model.numOutputs;
    this.expected = new Float64Array(K);
    for (let r = 0; r < backgroundRows; r++) for (let k = 0; k < K; k++) this.expected[k]! += margins[r * K + k]! / backgroundRows;
  }

  explain(X: Float64Array, rows: number, options: ShapOptions = {}): ShapResult {
    const e = this.model;
    const F = e.featureNames.length;
    const K = e.numOutputs;
    const result = emptyResult(e, rows, Float64Array.from(this.expected));
    const scale = 1 / this.backgroundRows;
    const every = Math.max(1, Math.floor(rows / 100));
    for (let r = 0; r < rows; r++) {
      if (r % every === 0) {
        throwIfAborted(options.signal);
        options.onProgress?.(r, rows);
      }
      for (let z = 0; z < this.backgroundRows; z++) {
        for (let t = 0; t < e.numTrees; t++) {
          this.walk(e.rootOf[t]!, X, r * F, z * F, result.values, (r * K + e.groupOf[t]!) * F, 0, 0, scale);
        }
      }
    }
    options.onProgress?.(rows, rows);
    return result;
  }

  private walk(
    node: number,
    X: Float64Array,
    xo: number,
    zo: number,
    phi: Float64Array,
    po: number,
    a: number,
    b: number,
    scale: number,
  ): void {
    const e = this.model;
    const Z = this.background;
    while (e.left[node]! >= 0) {
      const f = e.feature[node]!;
      const s = this.side[f]!;
      const xLeft = goesLeft(e, node, X[xo + f]!);
      if (s === 1) {
        node = xLeft ? e.left[node]! : e.right[node]!;
        continue;
      }
      const zLeft = goesLeft(e, node, Z[zo + f]!);
      if (s === 2 || xLeft === zLeft) {
        node = zLeft ? e.left[node]! : e.right[node]!;
        continue;
      }
      const depth = a + b;
      this.members[depth] = f;
      this.side[f] = 1;
      this.walk(xLeft ? e.left[node]! : e.right[node]!, X, xo, zo, phi, po, a + 1, b, scale);
      this.side[f] = 2;
      this.walk(zLeft ? e.left[node]! : e.right[node]!, X, xo, zo, phi, po, a, b + 1, scale);
      this.side[f] = 0;
      return;
    }
    if (a + b === 0) return;
    const v = e.value[node]! * scale;
    const plus = v * this.weightA[a * this.width + b]!;
    const minus = v * this.weightB[a * this.width + b]!;
    for (let i = 0; i < a + b; i++) {
      const f = this.members[i]!;
      if (this.side[f] === 1) phi[po + f]! += plus;
      else phi[po + f]! -= minus;
    }
  }
}

export function treeShapInterventional(
  e: TreeEnsemble,
  X: Float64Array,
  rows: number,
  background: Float64Array,
  backgroundRows: number,
  options: ShapOptions = {},
): ShapResult {
  return new InterventionalExplainer(e, background, backgroundRows).explain(X, rows, options);
}
