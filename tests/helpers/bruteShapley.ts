import type { TreeEnsemble } from '../../src/lib/model/ensemble';
import { goesLeft, predictMargin } from '../../src/lib/model/predict';

/**
 * Independent references for tests: Shapley values by enumerating every feature subset, over a value
 * function given directly (no TreeSHAP path algebra). Exponential in the feature count; small models only.
 */
export function shapleyByEnumeration(numFeatures: number, value: (subset: boolean[]) => number): number[] {
  const M = numFeatures;
  const fact = [1];
  for (let i = 1; i <= M; i++) fact[i] = fact[i - 1]! * i;
  const phi = new Array<number>(M).fill(0);
  for (let mask = 0; mask < 1 << M; mask++) {
    const subset = Array.from({ length: M }, (_, j) => ((mask >> j) & 1) === 1);
    const size = subset.filter(Boolean).length;
    const v = value(subset);
    for (let i = 0; i < M; i++) {
      if (subset[i]) continue;
      const withI = subset.slice();
      withI[i] = true;
      phi[i]! += ((fact[size]! * fact[M - size - 1]!) / fact[M]!) * (value(withI) - v);
    }
  }
  return phi;
}

/**
 * Path-dependent value function, Algorithm 1 (EXPVALUE) of Lundberg et al. 2018: features in S follow
 * the row, the others split the expectation by training cover.
 */
export function coverExpectation(e: TreeEnsemble, x: ArrayLike<number>, subset: boolean[], output = 0): number {
  let total = e.baseMargin[output]!;
  const g = (node: number): number => {
    if (e.left[node]! < 0) return e.value[node]!;
    const f = e.feature[node]!;
    if (subset[f]) return g(goesLeft(e, node, x[f]!) ? e.left[node]! : e.right[node]!);
    const l = e.left[node]!;
    const r = e.right[node]!;
    return (g(l) * e.cover[l]! + g(r) * e.cover[r]!) / e.cover[node]!;
  };
  for (let t = 0; t < e.numTrees; t++) if (e.groupOf[t] === output) total += g(e.rootOf[t]!);
  return total;
}

/** Interventional value function: mean margin over background rows with the subset's features taken from x. */
export function backgroundExpectation(
  e: TreeEnsemble,
  x: ArrayLike<number>,
  background: Float64Array,
  rows: number,
  subset: boolean[],
  output = 0,
): number {
  const F = e.featureNames.length;
  const hybrid = Float64Array.from(background);
  for (let r = 0; r < rows; r++) for (let f = 0; f < F; f++) if (subset[f]) hybrid[r * F + f] = x[f]!;
  const margins = predictMargin(e, hybrid, rows);
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += margins[r * e.numOutputs + output]!;
  return sum / rows;
}
