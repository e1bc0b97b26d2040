/**
 * Seeded row selection: cross-validation folds, a hold-out split, a sample the user asked for. Everything
 * here is a pure function of the seed, so a classifier trained twice on the same rows gives the same AUC.
 */
import { seededRandom } from '../metrics/intervals';

export { seededRandom };

/** Fisher-Yates in place with the given generator. */
export function shuffleInPlace(values: Uint32Array, random: () => number): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}

export function range(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Fold of each row for stratified k-fold cross-validation: each class is shuffled and dealt round-robin,
 * so every fold holds its share of both classes (scikit-learn's StratifiedKFold with shuffle, in spirit).
 */
export function stratifiedFolds(labels: Uint8Array, k: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const fold = new Uint8Array(labels.length);
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) rows.push(i);
    const order = shuffleInPlace(Uint32Array.from(rows), random);
    order.forEach((row, i) => (fold[row] = i % k));
  }
  return fold;
}

/** A shuffled split into train and test rows, the test part `testShare` of them (Evidently: half). */
export function holdOutSplit(n: number, testShare: number, seed: number): { train: Uint32Array; test: Uint32Array } {
  const order = shuffleInPlace(range(n), seededRandom(seed));
  const nTest = Math.ceil(n * testShare);
  return { test: order.slice(0, nTest).sort(), train: order.slice(nTest).sort() };
}

/** At most `size` of `n` rows, chosen by the seed and returned in their original order; all rows when fewer. */
export function sampleRows(n: number, size: number | undefined, seed: number): Uint32Array | null {
  if (size === undefined || size >= n) return null;
  return shuffleInPlace(range(n), seededRandom(seed))
    .slice(0, Math.max(0, Math.floor(size)))
    .sort();
}
