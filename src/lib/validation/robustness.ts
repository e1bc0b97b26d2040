/**
 * Robustness: how the model's predictions move when one input is disturbed, feature by feature. Numbers get
 * Gaussian noise of a share of their standard deviation; categories (inputs the model splits on as
 * categories, or whole numbers with few distinct values) are swapped for another value seen in the data.
 * The draws are seeded (mulberry32, Marsaglia's polar method), so a run is the same in the app, in CI and in
 * scripts/fixtures/validation.py, which replays them in Python.
 */
import type { Db } from '../db';
import { LanternError } from '../errors';
import { SPLIT_LGB_CATEGORICAL, SPLIT_XGB_CATEGORICAL, type TreeEnsemble } from '../model/ensemble';
import { describeMismatch, matchFeatures } from '../model/features';
import { numericTextColumns, readFeatureMatrix } from '../model/matrix';
import { marginToPrediction, predictMargin } from '../model/predict';
import { seededRandom } from '../metrics/intervals';
import { countRows, describeTable } from '../schema';
import { VALIDATION_DEFAULTS } from './defaults';

export interface FeatureFragility {
  feature: string;
  column: string;
  perturbation: 'noise' | 'swap';
  /** Noise: the standard deviation the noise is a share of. */
  sd: number | null;
  /** Swap: how many distinct values were seen. */
  values: number | null;
  /** Rows whose predicted class changed (classifiers); null for regression. */
  flip_rate: number | null;
  /** Mean |change| of the prediction (binary: the probability; multiclass: the originally predicted class's). */
  mean_abs_change: number;
  mean_change: number;
  /** Rows with a value to disturb (missing values stay missing). */
  rows: number;
}

export interface RobustnessReport {
  rows: number;
  share: number;
  seed: number;
  /** Binary: predicted positive at probability >= threshold. */
  threshold: number | null;
  output: 'probability' | 'value' | 'class';
  /** Most fragile first: by flip rate, then by mean |change|. */
  features: FeatureFragility[];
}

export interface RobustnessOptions {
  share?: number;
  seed?: number;
  threshold?: number;
  maxCategories?: number;
}

/** The seed of feature j's draws: the run's seed moved by a golden-ratio step per feature. */
export function featureSeed(seed: number, j: number): number {
  return (seed + Math.imul(j + 1, 0x9e3779b1)) >>> 0;
}

/** A standard normal draw by Marsaglia's polar method (uses only sqrt and log). */
export function polarNormal(random: () => number): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

function categoricalFeatures(model: TreeEnsemble): Set<number> {
  const out = new Set<number>();
  for (let n = 0; n < model.feature.length; n++)
    if (model.left[n]! >= 0 && (model.rule[n] === SPLIT_XGB_CATEGORICAL || model.rule[n] === SPLIT_LGB_CATEGORICAL))
      out.add(model.feature[n]!);
  return out;
}

interface Outputs {
  /** Per row: the value compared (probability of the positive class, the prediction, or the top class's probability). */
  value: Float64Array;
  /** Per row: the predicted class (binary 0/1, multiclass argmax); empty for regression. */
  cls: Int32Array;
  /** Multiclass: the probabilities, to read the originally predicted class's after a change. */
  probabilities: Float64Array;
}

function outputs(model: TreeEnsemble, X: Float64Array, rows: number, threshold: number): Outputs {
  const p = marginToPrediction(model, predictMargin(model, X, rows));
  const K = model.numOutputs;
  const value = new Float64Array(rows);
  const cls = new Int32Array(model.link === 'identity' || model.link === 'exp' ? 0 : rows);
  for (let r = 0; r < rows; r++) {
    if (K === 1) {
      value[r] = p[r]!;
      if (cls.length) cls[r] = p[r]! >= threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 1; k < K; k++) if (p[r * K + k]! > p[r * K + best]!) best = k;
    value[r] = p[r * K + best]!;
    cls[r] = best;
  }
  return { value, cls, probabilities: p };
}

/** Flip rate and score change per feature on a row-major matrix of the model's inputs. */
export function perturbationRobustness(
  model: TreeEnsemble,
  X: Float64Array,
  rows: number,
  columns: readonly string[],
  options: RobustnessOptions = {},
): RobustnessReport {
  const d = VALIDATION_DEFAULTS;
  const share = options.share ?? d.noiseShare;
  const seed = options.seed ?? d.seed;
  const threshold = options.threshold ?? 0.5;
  const maxCategories = options.maxCategories ?? d.maxCategories;
  const F = model.featureNames.length;
  const K = model.numOutputs;
  const base = outputs(model, X, rows, threshold);
  const classify = base.cls.length > 0;
  const categorical = categoricalFeatures(model);
  const features: FeatureFragility[] = [];
  const P = new Float64Array(X.length);
  for (let j = 0; j < F; j++) {
    const finite: number[] = [];
    for (let r = 0; r < rows; r++) {
      const x = X[r * F + j]!;
      if (Number.isFinite(x)) finite.push(x);
    }
    const seen = [...new Set(finite)].sort((a, b) => a - b);
    const swap = categorical.has(j) || (finite.every((x) => Number.isInteger(x)) && seen.length <= maxCategories);
    let sd = 0;
    if (!swap && finite.length > 1) {
      const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
      sd = Math.sqrt(finite.reduce((a, x) => a + (x - mean) ** 2, 0) / (finite.length - 1));
    }
    const random = seededRandom(featureSeed(seed, j));
    P.set(X);
    let disturbed = 0;
    for (let r = 0; r < rows; r++) {
      const x = X[r * F + j]!;
      if (!Number.isFinite(x)) continue;
      disturbed++;
      if (swap) {
        if (seen.length < 2) continue;
        const others = seen.filter((v) => v !== x);
        P[r * F + j] = others[Math.floor(random() * others.length)]!;
      } else P[r * F + j] = x + share * sd * polarNormal(random);
    }
    const after = outputs(model, P, rows, threshold);
    let flips = 0;
    let abs = 0;
    let signed = 0;
    for (let r = 0; r < rows; r++) {
      const before = base.value[r]!;
      // Multiclass: the change in the probability of the class the model chose before.
      const now = K > 1 ? after.probabilities[r * K + base.cls[r]!]! : after.value[r]!;
      abs += Math.abs(now - before);
      signed += now - before;
      if (classify && after.cls[r] !== base.cls[r]) flips++;
    }
    features.push({
      feature: model.featureNames[j]!,
      column: columns[j] ?? model.featureNames[j]!,
      perturbation: swap ? 'swap' : 'noise',
      sd: swap ? null : sd,
      values: swap ? seen.length : null,
      flip_rate: classify && rows > 0 ? flips / rows : null,
      mean_abs_change: rows > 0 ? abs / rows : 0,
      mean_change: rows > 0 ? signed / rows : 0,
      rows: disturbed,
    });
  }
  features.sort((a, b) => (b.flip_rate ?? 0) - (a.flip_rate ?? 0) || b.mean_abs_change - a.mean_abs_change);
  return {
    rows,
    share,
    seed,
    threshold: K === 1 && classify ? threshold : null,
    output: !classify ? 'value' : K === 1 ? 'probability' : 'class',
    features,
  };
}

/** Reads the model's inputs from a table (at most `maxRows`, spread evenly) and measures robustness. */
export async function robustnessReport(
  db: Db,
  model: TreeEnsemble,
  table: string,
  options: RobustnessOptions & { maxRows?: number; signal?: AbortSignal } = {},
): Promise<RobustnessReport> {
  const columns = await describeTable(db, table);
  const match = matchFeatures(model, columns, await numericTextColumns(db, table, columns));
  if (!match.ok) throw new LanternError('feature-mismatch', `The model does not fit the data: ${describeMismatch(match)}.`);
  const total = await countRows(db, table);
  const maxRows = options.maxRows ?? VALIDATION_DEFAULTS.robustnessRows;
  const every = Math.max(1, Math.ceil(total / maxRows));
  const names = match.columns as string[];
  const m = await readFeatureMatrix(db, table, names, { every, limit: maxRows, ...(options.signal ? { signal: options.signal } : {}) });
  return perturbationRobustness(model, m.X, m.rows, names, options);
}
