import type { TreeEnsemble } from '../model/ensemble';
import { goesLeft } from '../model/predict';

/**
 * Path-dependent TreeSHAP for one tree and one row: Algorithm 2 of Lundberg, Erion & Lee, "Consistent
 * Individualized Feature Attribution for Tree Ensembles" (2018), in the form of xgboost's
 * RegTree::TreeShap (src/tree/tree_model.cc), over flat arrays in double precision. The unique path of
 * each recursion level is a slice of preallocated arrays, copied from the parent's slice on entry.
 * Used for trees too deep for the precomputed tables (see pathTables.ts) and to cross-check them.
 */
export class RecursiveTreeShap {
  private readonly feat: Int32Array;
  private readonly zero: Float64Array;
  private readonly one: Float64Array;
  private readonly weight: Float64Array;

  constructor(private readonly e: TreeEnsemble) {
    const size = ((e.maxDepth + 3) * (e.maxDepth + 4)) / 2 + 2;
    this.feat = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  /** Adds tree t's attributions for the row at X[offset..] to phi[phiOffset + feature]. */
  addTree(t: number, X: ArrayLike<number>, offset: number, phi: Float64Array, phiOffset: number): void {
    this.recurse(this.e.rootOf[t]!, X, offset, phi, phiOffset, 0, 0, 1, 1, -1);
  }

  private extend(start: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
    const { feat, zero, one, weight } = this;
    feat[start + depth] = feature;
    zero[start + depth] = zeroFraction;
    one[start + depth] = oneFraction;
    weight[start + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      weight[start + i + 1]! += (oneFraction * weight[start + i]! * (i + 1)) / (depth + 1);
      weight[start + i] = (zeroFraction * weight[start + i]! * (depth - i)) / (depth + 1);
    }
  }

  private unwind(start: number, depth: number, pathIndex: number): void {
    const { feat, zero, one, weight } = this;
    const oneFraction = one[start + pathIndex]!;
    const zeroFraction = zero[start + pathIndex]!;
    let next = weight[start + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = weight[start + i]!;
        weight[start + i] = (next * (depth + 1)) / ((i + 1) * oneFraction);
        next = tmp - (weight[start + i]! * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        weight[start + i] = (weight[start + i]! * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = pathIndex; i < depth; i++) {
      feat[start + i] = feat[start + i + 1]!;
      zero[start + i] = zero[start + i + 1]!;
      one[start + i] = one[start + i + 1]!;
    }
  }

  private unwoundSum(start: number, depth: number, pathIndex: number): number {
    const { zero, one, weight } = this;
    const oneFraction = one[start + pathIndex]!;
    const zeroFraction = zero[start + pathIndex]!;
    let next = weight[start + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * oneFraction);
        total += tmp;
        next = weight[start + i]! - (tmp * zeroFraction * (depth - i)) / (depth + 1);
      } else if (zeroFraction !== 0) {
        total += weight[start + i]! / zeroFraction / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }

  private recurse(
    node: number,
    X: ArrayLike<number>,
    offset: number,
    phi: Float64Array,
    phiOffset: number,
    parentStart: number,
    depth: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void {
    const e = this.e;
    const { feat, zero, one, weight } = this;
    const start = parentStart + depth + 1;
    feat.copyWithin(start, parentStart, start);
    zero.copyWithin(start, parentStart, start);
    one.copyWithin(start, parentStart, start);
    weight.copyWithin(start, parentStart, start);
    this.extend(start, depth, parentZero, parentOne, parentFeature);

    if (e.left[node]! < 0) {
      const value = e.value[node]!;
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(start, depth, i);
        phi[phiOffset + feat[start + i]!]! += w * (one[start + i]! - zero[start + i]!) * value;
      }
      return;
    }
    const split = e.feature[node]!;
    const left = goesLeft(e, node, X[offset + split]!);
    const hot = left ? e.left[node]! : e.right[node]!;
    const cold = left ? e.right[node]! : e.left[node]!;
    const cover = e.cover[node]!;
    const hotZero = e.cover[hot]! / cover;
    const coldZero = e.cover[cold]! / cover;
    let incomingZero = 1;
    let incomingOne = 1;
    let pathIndex = 0;
    for (; pathIndex <= depth; pathIndex++) if (feat[start + pathIndex] === split) break;
    let d = depth;
    if (pathIndex !== depth + 1) {
      incomingZero = zero[start + pathIndex]!;
      incomingOne = one[start + pathIndex]!;
      this.unwind(start, depth, pathIndex);
      d -= 1;
    }
    this.recurse(hot, X, offset, phi, phiOffset, start, d + 1, hotZero * incomingZero, incomingOne, split);
    this.recurse(cold, X, offset, phi, phiOffset, start, d + 1, coldZero * incomingZero, 0, split);
  }
}
