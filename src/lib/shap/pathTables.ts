import type { TreeEnsemble } from '../model/ensemble';

/**
 * Precomputed tables for path-dependent TreeSHAP, in the spirit of Fast TreeSHAP v2 (Yang 2021,
 * arXiv:2109.09847). For a leaf l with value v whose path splits on the distinct features F (d of them)
 * and r_j = product of cover(child on path) / cover(node) over the splits on feature j, the
 * path-dependent value function gives, for a row that satisfies exactly the features P of F,
 *   phi_i = -v A(P)                        for i in F \ P
 *   phi_i =  v (1 - r_i) / r_i A(P \ {i})  for i in P
 * with A(P) = sum over S subset of P of  |S|! (d-|S|-1)! / d!  *  prod over j in F \ S of r_j.
 * A depends only on the leaf and P, so it is tabulated once per leaf for all 2^d patterns; explaining a
 * row then costs one pass over the nodes (to find P per leaf) and d steps per leaf, instead of the
 * O(d^2) per leaf of Algorithm 2. Trees whose paths are too long for the tables, or with a zero cover
 * ratio (r_i = 0), are left to the recursive algorithm.
 */
export interface PathTables {
  /** Trees handled here; the others go to RecursiveTreeShap. */
  tabled: Uint8Array;
  /** Per global node: the bit of the node's split feature in the path pattern of every leaf below it. */
  bit: Int32Array;
  /** Per tree: internal nodes in preorder (parents before children), as global ids, at order[orderStart[t]..orderStart[t+1]). */
  order: Int32Array;
  orderStart: Int32Array;
  /** Per tree: leaves, as global ids, at leaves[leafStart[t]..leafStart[t+1]). */
  leaves: Int32Array;
  leafStart: Int32Array;
  /** Per leaf (index into leaves): d, and its features at leafFeature[featStart[k] .. + d). */
  leafDepth: Int32Array;
  featStart: Int32Array;
  leafFeature: Int32Array;
  /** (1 - r_i) / r_i, aligned with leafFeature. */
  leafRatio: Float64Array;
  /** v * A(P) for P in 0 .. 2^d - 1, at table[tableStart[k] + P]. */
  tableStart: Float64Array;
  table: Float64Array;
  /** Sum over trees of the expected value of each tree (per output): sum over leaves of v * prod r_j. */
  expectedValue: Float64Array;
}

/** Longest distinct-feature path and largest table per tree that get tables (2^16 doubles per leaf at most). */
const MAX_TABLE_DEPTH = 16;
const MAX_TREE_TABLE = 1 << 21;

export function buildPathTables(e: TreeEnsemble): PathTables {
  const bit = new Int32Array(e.left.length).fill(-1);
  const tabled = new Uint8Array(e.numTrees);
  const order: number[] = [];
  const orderStart = [0];
  const leaves: number[] = [];
  const leafStart = [0];
  const leafDepth: number[] = [];
  const featStart: number[] = [];
  const leafFeature: number[] = [];
  const leafRatio: number[] = [];
  const tableStart: number[] = [];
  const tableParts: Float64Array[] = [];
  let tableSize = 0;
  const expectedValue = new Float64Array(e.numOutputs);

  for (let t = 0; t < e.numTrees; t++) {
    const root = e.rootOf[t]!;
    // Walk the tree depth first keeping the distinct features on the path and their ratio products.
    const treeOrder: number[] = [];
    const treeLeaves: { node: number; features: number[]; ratios: number[] }[] = [];
    let usable = true;
    let treeTable = 0;
    const walk = (node: number, features: number[], ratios: number[]) => {
      if (e.left[node]! < 0) {
        treeLeaves.push({ node, features, ratios });
        treeTable += 2 ** features.length;
        return;
      }
      treeOrder.push(node);
      const f = e.feature[node]!;
      let k = features.indexOf(f);
      if (k < 0) {
        k = features.length;
        if (k >= MAX_TABLE_DEPTH) usable = false;
      }
      bit[node] = k;
      for (const child of [e.left[node]!, e.right[node]!]) {
        const ratio = e.cover[child]! / e.cover[node]!;
        if (!(ratio > 0)) usable = false;
        const nextFeatures = k < features.length ? features : [...features, f];
        const nextRatios = k < ratios.length ? ratios.map((r, j) => (j === k ? r * ratio : r)) : [...ratios, ratio];
        walk(child, nextFeatures, nextRatios);
      }
    };
    walk(root, [], []);
    for (const leaf of treeLeaves) {
      expectedValue[e.groupOf[t]!]! += e.value[leaf.node]! * leaf.ratios.reduce((a, b) => a * b, 1);
    }
    if (!usable || treeTable > MAX_TREE_TABLE) {
      orderStart.push(order.length);
      leafStart.push(leaves.length);
      continue;
    }
    tabled[t] = 1;
    order.push(...treeOrder);
    orderStart.push(order.length);
    for (const leaf of treeLeaves) {
      leaves.push(leaf.node);
      leafDepth.push(leaf.features.length);
      featStart.push(leafFeature.length);
      leafFeature.push(...leaf.features);
      leafRatio.push(...leaf.ratios.map((r) => (1 - r) / r));
      tableStart.push(tableSize);
      const part = patternTable(leaf.ratios, e.value[leaf.node]!);
      tableParts.push(part);
      tableSize += part.length;
    }
    leafStart.push(leaves.length);
  }
  const table = new Float64Array(tableSize);
  let at = 0;
  for (const part of tableParts) {
    table.set(part, at);
    at += part.length;
  }
  return {
    tabled,
    bit,
    order: Int32Array.from(order),
    orderStart: Int32Array.from(orderStart),
    leaves: Int32Array.from(leaves),
    leafStart: Int32Array.from(leafStart),
    leafDepth: Int32Array.from(leafDepth),
    featStart: Int32Array.from(featStart),
    leafFeature: Int32Array.from(leafFeature),
    leafRatio: Float64Array.from(leafRatio),
    tableStart: Float64Array.from(tableStart),
    table,
    expectedValue,
  };
}

/**
 * v * A(P) for every pattern P of a leaf with cover ratios r (d = r.length). A(P) = (prod over j not in P
 * of r_j) * sum_s w(s) c_s(P), where c(P) are the coefficients of prod over j in P of (r_j + z): S picks
 * z from the factors of its members. Built by adding one feature at a time: O(2^d * d).
 */
export function patternTable(r: readonly number[], value: number): Float64Array {
  const d = r.length;
  const size = 1 << d;
  const out = new Float64Array(size);
  if (d === 0) {
    out[0] = 0;
    return out;
  }
  // Shapley weights w(s) = s! (d - s - 1)! / d! for s = 0 .. d-1.
  const w = new Float64Array(d);
  for (let s = 0; s < d; s++) w[s] = (factorial(s) * factorial(d - s - 1)) / factorial(d);
  const coeffs = new Float64Array(size * (d + 1));
  coeffs[0] = 1;
  for (let p = 1; p < size; p++) {
    const high = 31 - Math.clz32(p);
    const prev = p ^ (1 << high);
    const rj = r[high]!;
    // c(p) = c(prev) * (r_high + z)
    for (let s = 0; s <= d; s++) {
      const here = coeffs[prev * (d + 1) + s]! * rj + (s > 0 ? coeffs[prev * (d + 1) + s - 1]! : 0);
      coeffs[p * (d + 1) + s] = here;
    }
  }
  for (let p = 0; p < size; p++) {
    let outside = 1;
    for (let j = 0; j < d; j++) if (!(p & (1 << j))) outside *= r[j]!;
    let sum = 0;
    for (let s = 0; s < d; s++) sum += w[s]! * coeffs[p * (d + 1) + s]!;
    out[p] = value * outside * sum;
  }
  return out;
}

const FACTORIALS = [1];
function factorial(n: number): number {
  for (let k = FACTORIALS.length; k <= n; k++) FACTORIALS[k] = FACTORIALS[k - 1]! * k;
  return FACTORIALS[n]!;
}
