/**
 * A small gradient-boosted tree classifier for domain classification (is this row from the reference or
 * from the current data?), the model NannyML's domain classifier uses (LightGBM). A linear model cannot
 * see a change in how columns move together when each column keeps its distribution; trees can. Features
 * are binned once (at most 32 quantile bins, missing values in a bin of their own); trees grow level by
 * level on gradient histograms (log loss, L2 leaf penalty), like LightGBM and XGBoost's `hist`. No
 * randomness inside: the same rows give the same model.
 */
import { rocAuc } from './auc';
import { stratifiedFolds } from './sampling';

export interface BinnedFeatures {
  names: string[];
  /** codes[f][row]: 0 for a missing value, 1..bins[f] for the value's bin (ascending values). */
  codes: Uint8Array[];
  bins: number[];
  rows: number;
}

export interface GbmOptions {
  trees?: number;
  depth?: number;
  learningRate?: number;
  /** Fewest rows on each side of a split (LightGBM's min_child_samples). */
  minChildRows?: number;
  /** L2 penalty on leaf values. */
  lambda?: number;
}

export const GBM_DEFAULTS: Required<GbmOptions> = { trees: 60, depth: 3, learningRate: 0.15, minChildRows: 20, lambda: 1 };

export const MAX_BINS = 32;

/**
 * Bin codes of one feature: one bin per distinct value when there are at most `maxBins`, else quantile
 * bins (each upper edge a value of the data, ties kept together). NaN and ±inf are missing (bin 0).
 */
export function binFeature(values: Float64Array, maxBins = MAX_BINS): { codes: Uint8Array; bins: number } {
  const finite: number[] = [];
  for (const v of values) if (Number.isFinite(v)) finite.push(v);
  const sorted = Float64Array.from(finite).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  let uppers: number[];
  if (distinct.length <= maxBins) uppers = distinct;
  else {
    uppers = [];
    for (let b = 1; b < maxBins; b++) {
      const cut = sorted[Math.floor((b * sorted.length) / maxBins)]!;
      if (uppers.length === 0 || cut > uppers[uppers.length - 1]!) uppers.push(cut);
    }
    if (uppers[uppers.length - 1]! < sorted[sorted.length - 1]!) uppers.push(sorted[sorted.length - 1]!);
  }
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    // First upper edge >= v.
    let lo = 0;
    let hi = uppers.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (uppers[mid]! >= v) hi = mid;
      else lo = mid + 1;
    }
    codes[i] = lo + 1;
  }
  return { codes, bins: Math.max(1, uppers.length) };
}

interface Level {
  feature: Int16Array;
  threshold: Uint8Array;
}

interface Tree {
  levels: Level[];
  leaves: Float64Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Fits on the `train` rows and returns the raw scores (log-odds) of the `test` rows and the split gain
 * each feature earned.
 */
export function fitAndScore(
  data: BinnedFeatures,
  labels: Uint8Array,
  train: Uint32Array,
  test: Uint32Array,
  options: GbmOptions = {},
): { scores: Float64Array; gain: Float64Array } {
  const o = { ...GBM_DEFAULTS, ...options };
  const p = data.codes.length;
  const n = train.length;
  const gain = new Float64Array(p);
  const scores = new Float64Array(test.length);
  if (n === 0) return { scores, gain };
  let positives = 0;
  for (const r of train) positives += labels[r]!;
  const rate = Math.min(1 - 1e-12, Math.max(1e-12, positives / n));
  const base = Math.log(rate / (1 - rate));
  const f = new Float64Array(n).fill(base);
  scores.fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const node = new Uint16Array(n);
  const maxBins = Math.max(...data.bins) + 1;
  const leavesCount = 1 << o.depth;
  const hg = new Float64Array(leavesCount * maxBins);
  const hh = new Float64Array(leavesCount * maxBins);
  const hc = new Float64Array(leavesCount * maxBins);
  for (let t = 0; t < o.trees; t++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(f[i]!);
      grad[i] = prob - labels[train[i]!]!;
      hess[i] = Math.max(prob * (1 - prob), 1e-16);
    }
    node.fill(0);
    const tree: Tree = { levels: [], leaves: new Float64Array(leavesCount) };
    for (let depth = 0; depth < o.depth; depth++) {
      const nodes = 1 << depth;
      // Totals per node, then the best split per node over every feature.
      const G = new Float64Array(nodes);
      const H = new Float64Array(nodes);
      const C = new Float64Array(nodes);
      for (let i = 0; i < n; i++) {
        G[node[i]!] = G[node[i]!]! + grad[i]!;
        H[node[i]!] = H[node[i]!]! + hess[i]!;
        C[node[i]!] = C[node[i]!]! + 1;
      }
      const bestGain = new Float64Array(nodes);
      const level: Level = { feature: new Int16Array(nodes).fill(-1), threshold: new Uint8Array(nodes) };
      for (let feat = 0; feat < p; feat++) {
        const codes = data.codes[feat]!;
        const width = data.bins[feat]! + 1;
        hg.fill(0, 0, nodes * maxBins);
        hh.fill(0, 0, nodes * maxBins);
        hc.fill(0, 0, nodes * maxBins);
        for (let i = 0; i < n; i++) {
          const at = node[i]! * maxBins + codes[train[i]!]!;
          hg[at] = hg[at]! + grad[i]!;
          hh[at] = hh[at]! + hess[i]!;
          hc[at] = hc[at]! + 1;
        }
        for (let v = 0; v < nodes; v++) {
          if (C[v]! < 2 * o.minChildRows) continue;
          const parent = (G[v]! * G[v]!) / (H[v]! + o.lambda);
          let gl = 0;
          let hl = 0;
          let cl = 0;
          for (let b = 0; b < width - 1; b++) {
            const at = v * maxBins + b;
            gl += hg[at]!;
            hl += hh[at]!;
            cl += hc[at]!;
            const cr = C[v]! - cl;
            if (cl < o.minChildRows) continue;
            if (cr < o.minChildRows) break;
            const gr = G[v]! - gl;
            const hr = H[v]! - hl;
            const g = (gl * gl) / (hl + o.lambda) + (gr * gr) / (hr + o.lambda) - parent;
            // Strictly better only: ties keep the earlier feature and bin, so the tree is the same every run.
            if (g > bestGain[v]! + 1e-12) {
              bestGain[v] = g;
              level.feature[v] = feat;
              level.threshold[v] = b;
            }
          }
        }
      }
      for (let v = 0; v < nodes; v++) if (level.feature[v]! >= 0) gain[level.feature[v]!] = gain[level.feature[v]!]! + bestGain[v]!;
      for (let i = 0; i < n; i++) {
        const v = node[i]!;
        const feat = level.feature[v]!;
        const right = feat >= 0 && data.codes[feat]![train[i]!]! > level.threshold[v]!;
        node[i] = 2 * v + (right ? 1 : 0);
      }
      tree.levels.push(level);
    }
    const G = new Float64Array(leavesCount);
    const H = new Float64Array(leavesCount);
    for (let i = 0; i < n; i++) {
      G[node[i]!] = G[node[i]!]! + grad[i]!;
      H[node[i]!] = H[node[i]!]! + hess[i]!;
    }
    for (let leaf = 0; leaf < leavesCount; leaf++)
      tree.leaves[leaf] = H[leaf]! > 0 ? (-o.learningRate * G[leaf]!) / (H[leaf]! + o.lambda) : 0;
    for (let i = 0; i < n; i++) f[i] = f[i]! + tree.leaves[node[i]!]!;
    for (let i = 0; i < test.length; i++) scores[i] = scores[i]! + tree.leaves[leafOf(tree, data, test[i]!)]!;
  }
  return { scores, gain };
}

function leafOf(tree: Tree, data: BinnedFeatures, row: number): number {
  let v = 0;
  for (const level of tree.levels) {
    const feat = level.feature[v]!;
    const right = feat >= 0 && data.codes[feat]![row]! > level.threshold[v]!;
    v = 2 * v + (right ? 1 : 0);
  }
  return v;
}

export interface CrossValidated {
  /** ROC AUC of the out-of-fold scores of every row together (NannyML's way). */
  auc: number;
  /** Split gain per feature, summed over folds. */
  gain: Float64Array;
  rows: number;
  /** Each row's out-of-fold score (log-odds of being current), in the order of `rows`. */
  scores: Float64Array;
}

/**
 * k-fold cross-validated ROC AUC of the classifier on `rows` (all rows by default): each row is scored by
 * the model that did not see it. `onFold` reports progress; it may throw to stop between folds.
 */
export function crossValidatedAuc(
  data: BinnedFeatures,
  labels: Uint8Array,
  options: GbmOptions & { rows?: Uint32Array; folds?: number; seed?: number; onFold?: () => void } = {},
): CrossValidated {
  const rows = options.rows ?? Uint32Array.from({ length: data.rows }, (_, i) => i);
  const k = options.folds ?? 5;
  const sub = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) sub[i] = labels[rows[i]!]!;
  const fold = stratifiedFolds(sub, k, options.seed ?? 0);
  const scores = new Float64Array(rows.length);
  const gain = new Float64Array(data.codes.length);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < rows.length; i++) (fold[i] === f ? test : train).push(i);
    const fit = fitAndScore(
      data,
      labels,
      Uint32Array.from(train, (i) => rows[i]!),
      Uint32Array.from(test, (i) => rows[i]!),
      options,
    );
    test.forEach((i, j) => (scores[i] = fit.scores[j]!));
    for (let x = 0; x < gain.length; x++) gain[x] = gain[x]! + fit.gain[x]!;
    options.onFold?.();
  }
  return { auc: rocAuc(scores, sub), gain, rows: rows.length, scores };
}
