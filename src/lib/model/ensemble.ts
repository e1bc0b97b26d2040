/**
 * A tree ensemble in flat typed arrays: every parser (XGBoost JSON/UBJSON, LightGBM text/JSON) produces
 * this one shape, and prediction and TreeSHAP read only this. Node arrays are indexed by a global node
 * id; tree t owns ids rootOf[t] .. rootOf[t] + nodeCountOf[t] - 1 and its root is rootOf[t].
 */
export type ModelFormat = 'xgboost-json' | 'xgboost-ubjson' | 'lightgbm-text' | 'lightgbm-json';

/** How the raw margin becomes the model's prediction (what `predict()` returns). */
export type OutputLink = 'identity' | 'logistic' | 'exp' | 'softmax' | 'ova-logistic';

/** How a node sends a row left or right; the constants are stored in `TreeEnsemble.rule`. */
export const SPLIT_XGB_NUMERIC = 0; // float32(x) < threshold; NaN follows default_left
export const SPLIT_LGB_NUMERIC = 1; // x <= threshold in double; missing per missingType and default_left
export const SPLIT_XGB_CATEGORICAL = 2; // category in the node's set goes right; NaN follows default_left
export const SPLIT_LGB_CATEGORICAL = 3; // category in the node's set goes left; NaN and negatives go right

export const MISSING_NONE = 0;
export const MISSING_ZERO = 1;
export const MISSING_NAN = 2;

export interface TreeEnsemble {
  format: ModelFormat;
  /** The objective as the file names it, e.g. `binary:logistic`, `multiclass`. */
  objective: string;
  link: OutputLink;
  /** LightGBM's `sigmoid:` parameter (probability = 1 / (1 + exp(-sigmoid * margin))); 1 elsewhere. */
  sigmoidScale: number;
  featureNames: string[];
  /** False when the file carried no names and they were made up (f0, f1, ... / Column_0, ...). */
  featureNamesFromModel: boolean;
  /** Classes for multi-class models, 1 otherwise. */
  numOutputs: number;
  /** Added to each output's margin (XGBoost's base_score mapped to the margin). */
  baseMargin: Float64Array;
  numTrees: number;
  rootOf: Int32Array;
  nodeCountOf: Int32Array;
  /** Output (class) each tree adds to. */
  groupOf: Int32Array;
  /** Global ids of children; -1 for leaves. */
  left: Int32Array;
  right: Int32Array;
  /** Split feature; -1 for leaves. */
  feature: Int32Array;
  threshold: Float64Array;
  /** Leaf value (already scaled by learning rate, dart weight, rf averaging). */
  value: Float64Array;
  /** Training cover: sum of hessians (XGBoost) or row count (LightGBM). TreeSHAP's path-dependent weights. */
  cover: Float64Array;
  rule: Uint8Array;
  defaultLeft: Uint8Array;
  missingType: Uint8Array;
  /** Categorical splits: categories of node n are categories[catStart[n] .. catStart[n] + catCount[n]). */
  catStart: Int32Array;
  catCount: Int32Array;
  categories: Int32Array;
  /** Deepest root-to-leaf path over all trees (edges). */
  maxDepth: number;
}

/** Mutable node lists that parsers fill, then `finishEnsemble` packs into typed arrays. */
export class EnsembleBuilder {
  private readonly nodes = {
    left: [] as number[],
    right: [] as number[],
    feature: [] as number[],
    threshold: [] as number[],
    value: [] as number[],
    cover: [] as number[],
    rule: [] as number[],
    defaultLeft: [] as number[],
    missingType: [] as number[],
    catStart: [] as number[],
    catCount: [] as number[],
  };
  private readonly categories: number[] = [];
  private readonly roots: number[] = [];
  private readonly counts: number[] = [];
  private readonly groups: number[] = [];

  /** Starts a tree of `count` nodes; returns the global id of its local node 0. */
  startTree(count: number, group: number): number {
    const base = this.nodes.left.length;
    this.roots.push(base);
    this.counts.push(count);
    this.groups.push(group);
    for (const list of Object.values(this.nodes)) for (let i = 0; i < count; i++) list.push(0);
    for (let i = 0; i < count; i++) {
      this.nodes.left[base + i] = -1;
      this.nodes.right[base + i] = -1;
      this.nodes.feature[base + i] = -1;
    }
    return base;
  }

  setLeaf(id: number, value: number, cover: number): void {
    this.nodes.value[id] = value;
    this.nodes.cover[id] = cover;
  }

  setSplit(
    id: number,
    split: {
      left: number;
      right: number;
      feature: number;
      threshold: number;
      cover: number;
      rule: number;
      defaultLeft: boolean;
      missingType: number;
    },
  ): void {
    const n = this.nodes;
    n.left[id] = split.left;
    n.right[id] = split.right;
    n.feature[id] = split.feature;
    n.threshold[id] = split.threshold;
    n.cover[id] = split.cover;
    n.rule[id] = split.rule;
    n.defaultLeft[id] = split.defaultLeft ? 1 : 0;
    n.missingType[id] = split.missingType;
  }

  setCategories(id: number, categories: readonly number[]): void {
    this.nodes.catStart[id] = this.categories.length;
    this.nodes.catCount[id] = categories.length;
    for (const c of [...categories].sort((a, b) => a - b)) this.categories.push(c);
  }

  /**
   * Leaf values, split features, thresholds and children must be numbers before they are packed: typed
   * arrays would read a missing feature index as feature 0, and a NaN leaf makes every explanation NaN.
   * The message names the tree and the node (their index in the file's tree and node lists).
   */
  private checkNumbers(): void {
    const n = this.nodes;
    this.roots.forEach((root, t) => {
      for (let id = root; id < root + this.counts[t]!; id++) {
        const where = `tree ${t}, node ${id - root}`;
        if (n.left[id]! === -1 && n.feature[id]! === -1) {
          if (!Number.isFinite(n.value[id]!)) throw new Error(`${where}: the leaf value is not a number`);
          continue;
        }
        if (!Number.isInteger(n.feature[id]!)) throw new Error(`${where}: the split feature is not a feature index`);
        if (Number.isNaN(n.threshold[id]!)) throw new Error(`${where}: the split threshold is not a number`);
        if (!Number.isInteger(n.left[id]!) || !Number.isInteger(n.right[id]!))
          throw new Error(`${where}: a child of the split is not a node index`);
      }
    });
  }

  finish(
    meta: Omit<
      TreeEnsemble,
      'numTrees' | 'rootOf' | 'nodeCountOf' | 'groupOf' | keyof EnsembleBuilder['nodes'] | 'categories' | 'maxDepth'
    >,
  ): TreeEnsemble {
    const n = this.nodes;
    this.checkNumbers();
    const ensemble: TreeEnsemble = {
      ...meta,
      numTrees: this.roots.length,
      rootOf: Int32Array.from(this.roots),
      nodeCountOf: Int32Array.from(this.counts),
      groupOf: Int32Array.from(this.groups),
      left: Int32Array.from(n.left),
      right: Int32Array.from(n.right),
      feature: Int32Array.from(n.feature),
      threshold: Float64Array.from(n.threshold),
      value: Float64Array.from(n.value),
      cover: Float64Array.from(n.cover),
      rule: Uint8Array.from(n.rule),
      defaultLeft: Uint8Array.from(n.defaultLeft),
      missingType: Uint8Array.from(n.missingType),
      catStart: Int32Array.from(n.catStart),
      catCount: Int32Array.from(n.catCount),
      categories: Int32Array.from(this.categories),
      maxDepth: 0,
    };
    ensemble.maxDepth = checkTrees(ensemble);
    return ensemble;
  }
}

/**
 * Checks that every tree is a proper binary tree reachable from its root (no cycles, children inside the
 * tree, features in range) and returns the deepest path. A corrupt file fails here with a message
 * instead of looping or reading out of bounds later.
 */
function checkTrees(e: TreeEnsemble): number {
  let maxDepth = 0;
  const seen = new Uint8Array(e.left.length);
  for (let t = 0; t < e.numTrees; t++) {
    const lo = e.rootOf[t]!;
    const hi = lo + e.nodeCountOf[t]!;
    const stack: number[] = [lo, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const node = stack.pop()!;
      if (node < lo || node >= hi) throw new Error(`tree ${t} points to node ${node - lo}, which it does not have`);
      if (seen[node]) throw new Error(`tree ${t} reaches node ${node - lo} twice`);
      seen[node] = 1;
      if (e.left[node]! < 0) {
        if (depth > maxDepth) maxDepth = depth;
        continue;
      }
      const f = e.feature[node]!;
      if (f < 0 || f >= e.featureNames.length)
        throw new Error(`tree ${t} splits on feature ${f}, but the model has ${e.featureNames.length}`);
      stack.push(e.left[node]!, depth + 1, e.right[node]!, depth + 1);
    }
  }
  return maxDepth;
}
