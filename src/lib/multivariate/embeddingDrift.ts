/**
 * Drift of an embedding column (one vector per row): Evidently's default, a domain classifier on the
 * vectors (logistic regression on a random half, ROC AUC on the other half); the Euclidean distance between
 * the two sides' mean vectors (Evidently's `distance`, threshold 0.2); and the maximum mean discrepancy
 * (unbiased MMD^2 with a Gaussian kernel, bandwidth the median distance between the sides, as Evidently's
 * `mmd`) with a permutation test for its p-value. Plus a 2-D projection (PCA fitted on the reference) of
 * both sides for a chart. Pure: it runs where the vectors are (a worker in the app).
 */
import { percentile, rocAuc } from './auc';
import { leadingComponents } from './linalg';
import { denseDesign, fitLogistic, predictLogit } from './logistic';
import { holdOutSplit, range, sampleRows, seededRandom, shuffleInPlace } from './sampling';
import { classifierVerdict, type ClassifierVerdict } from './verdict';

export interface EmbeddingSides {
  dims: number;
  /** Row-major vectors: row i is values[i * dims .. (i + 1) * dims). */
  reference: Float64Array;
  current: Float64Array;
}

export type Unavailable = { unavailable: string };

export interface MmdResult {
  /** Unbiased MMD^2 (clipped at 0 as Evidently reports it). */
  value: number;
  pValue: number;
  permutations: number;
  /** Kernel exp(-gamma * |x - y|^2). */
  gamma: number;
  rows: number;
  threshold: number;
  drifted: boolean;
}

export interface EmbeddingProjection {
  /** Share of the reference's variance along each axis. */
  explained: [number, number];
  reference: { x: Float32Array; y: Float32Array };
  current: { x: Float32Array; y: Float32Array };
}

export interface EmbeddingDriftStats {
  dims: number;
  referenceRows: number;
  currentRows: number;
  model: ClassifierVerdict | Unavailable;
  distance: { value: number; threshold: number; drifted: boolean };
  mmd: MmdResult | Unavailable;
  projection: EmbeddingProjection | Unavailable;
}

export interface EmbeddingDriftOptions {
  seed?: number;
  /** Above this many rows in all, the MMD (quadratic in rows) needs a sample the user asks for. */
  mmdMaxRows?: number;
  permutations?: number;
  distanceThreshold?: number;
  /** Points drawn per side in the projection. */
  projectionPoints?: number;
  onProgress?: (done: number, total: number) => void;
}

export const EMBEDDING_SEED = 42;
export const MMD_MAX_ROWS = 3000;
export const MMD_PERMUTATIONS = 200;
export const MMD_P_THRESHOLD = 0.05;
export const DISTANCE_THRESHOLD = 0.2;
export const PROJECTION_POINTS = 1500;

export function embeddingDriftStats(sides: EmbeddingSides, options: EmbeddingDriftOptions = {}): EmbeddingDriftStats {
  const d = sides.dims;
  const m = sides.reference.length / d;
  const n = sides.current.length / d;
  const seed = options.seed ?? EMBEDDING_SEED;
  const progress = (done: number) => options.onProgress?.(done, 4);
  const refMean = meanOf(sides.reference, m, d);
  const curMean = meanOf(sides.current, n, d);
  let dist = 0;
  for (let j = 0; j < d; j++) dist += (refMean[j]! - curMean[j]!) ** 2;
  dist = Math.sqrt(dist);
  const distanceThreshold = options.distanceThreshold ?? DISTANCE_THRESHOLD;
  const distance = { value: dist, threshold: distanceThreshold, drifted: dist > distanceThreshold };
  progress(1);
  const model = m >= 2 && n >= 2 ? domainClassifier(sides, m, n, seed) : { unavailable: 'Each side needs at least two vectors.' };
  progress(2);
  const mmdMax = options.mmdMaxRows ?? MMD_MAX_ROWS;
  const mmd: MmdResult | Unavailable =
    m < 2 || n < 2
      ? { unavailable: 'Each side needs at least two vectors.' }
      : m + n > mmdMax
        ? {
            unavailable: `The MMD compares every pair of rows: ${(m + n).toLocaleString('en-US')} rows are more than ${mmdMax.toLocaleString('en-US')}. Sample at most ${Math.floor(mmdMax / 2).toLocaleString('en-US')} rows per side to compute it.`,
          }
        : mmdTest(sides, m, n, options.permutations ?? MMD_PERMUTATIONS, seed);
  progress(3);
  const projection: EmbeddingProjection | Unavailable =
    m >= 2
      ? project(sides, m, n, refMean, options.projectionPoints ?? PROJECTION_POINTS)
      : { unavailable: 'The reference needs at least two vectors.' };
  progress(4);
  return { dims: d, referenceRows: m, currentRows: n, model, distance, mmd, projection };
}

function meanOf(values: Float64Array, rows: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + values[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = rows ? mean[j]! / rows : Number.NaN;
  return mean;
}

function domainClassifier(sides: EmbeddingSides, m: number, n: number, seed: number): ClassifierVerdict {
  const d = sides.dims;
  const all = new Float64Array((m + n) * d);
  all.set(sides.reference);
  all.set(sides.current, m * d);
  const labels = new Uint8Array(m + n).fill(1, m);
  const { train, test } = holdOutSplit(m + n, 0.5, seed);
  // Standardised on the training rows, so that the solver converges whatever the vectors' scale.
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const r of train) for (let j = 0; j < d; j++) mean[j] = mean[j]! + all[r * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / train.length;
  for (const r of train) for (let j = 0; j < d; j++) scale[j] = scale[j]! + (all[r * d + j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]! / train.length) || 1;
  const design = denseDesign(all, m + n, d, mean, scale);
  // Solved to the optimum, not to the solver's default stop, so the AUC is the model's (dense and small: fast).
  const fit = fitLogistic(design, labels, train, { tolerance: 1e-8, maxIterations: 1000 });
  const scores = predictLogit(design, fit, test);
  const testLabels = Uint8Array.from(test, (i) => labels[i]!);
  return classifierVerdict(rocAuc(scores, testLabels), testLabels, m, train.length, { seed });
}

function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let x = 0; x < d; x++) {
    const t = a[i * d + x]! - b[j * d + x]!;
    s += t * t;
  }
  return s;
}

function mmdTest(sides: EmbeddingSides, m: number, n: number, permutations: number, seed: number): MmdResult {
  const d = sides.dims;
  // Bandwidth: the median distance between up to 1,000 rows of each side.
  const rs = sampleRows(m, 1000, seed) ?? range(m);
  const cs = sampleRows(n, 1000, seed + 1) ?? range(n);
  const pair = new Float64Array(rs.length * cs.length);
  let k = 0;
  for (const i of rs) for (const j of cs) pair[k++] = Math.sqrt(sqDist(sides.reference, i, sides.current, j, d));
  const sigma = percentile(pair, 0.5);
  const gamma = sigma > 0 ? 1 / (sigma * sigma) : 1;
  const N = m + n;
  const all = new Float64Array(N * d);
  all.set(sides.reference);
  all.set(sides.current, m * d);
  const kernel = new Float32Array(N * N);
  const rowSum = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    kernel[i * N + i] = 1;
    for (let j = i + 1; j < N; j++) {
      const v = Math.exp(-gamma * sqDist(all, i, all, j, d));
      kernel[i * N + j] = v;
      kernel[j * N + i] = v;
    }
  }
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += i === j ? 1 : kernel[i * N + j]!;
    rowSum[i] = s;
  }
  let total = 0;
  for (let i = 0; i < N; i++) total += rowSum[i]!;
  // MMD^2_u of a split whose first side is `order[0..m)`: only the within-side sum needs the kernel.
  const statistic = (order: Uint32Array): number => {
    let within = 0;
    let sideSum = 0;
    for (let a = 0; a < m; a++) {
      const i = order[a]!;
      sideSum += rowSum[i]!;
      const at = i * N;
      for (let b = a + 1; b < m; b++) within += kernel[at + order[b]!]!;
    }
    const xx = 2 * within + m;
    const xy = sideSum - xx;
    const yy = total - 2 * sideSum + xx;
    return (xx - m) / (m * (m - 1)) + (yy - n) / (n * (n - 1)) - (2 * xy) / (m * n);
  };
  const observed = statistic(range(N));
  const random = seededRandom(seed);
  let asLarge = 0;
  const order = range(N);
  for (let p = 0; p < permutations; p++) {
    shuffleInPlace(order, random);
    if (statistic(order) >= observed) asLarge++;
  }
  const pValue = (1 + asLarge) / (1 + permutations);
  return {
    value: Math.max(0, observed),
    pValue,
    permutations,
    gamma,
    rows: N,
    threshold: MMD_P_THRESHOLD,
    drifted: pValue < MMD_P_THRESHOLD,
  };
}

function project(sides: EmbeddingSides, m: number, n: number, mean: Float64Array, points: number): EmbeddingProjection {
  const d = sides.dims;
  // A few more directions than the two drawn: the subspace then converges at the rate of the 9th
  // eigenvalue against the 2nd, not the 3rd against the 2nd (close on embeddings: slow and inexact).
  const pcs = leadingComponents(sides.reference, m, d, mean, Math.min(d, 8), { iterations: 300, tolerance: 1e-13 });
  const axis = (c: number) => (c < pcs.values.length ? c : -1);
  const coordinates = (values: Float64Array, rows: number) => {
    const shown = evenlySpaced(rows, points);
    const x = new Float32Array(shown.length);
    const y = new Float32Array(shown.length);
    shown.forEach((r, i) => {
      for (const [c, out] of [
        [0, x],
        [1, y],
      ] as const) {
        if (axis(c) < 0) continue;
        let s = 0;
        for (let j = 0; j < d; j++) s += (values[r * d + j]! - mean[j]!) * pcs.vectors[c * d + j]!;
        out[i] = s;
      }
    });
    return { x, y };
  };
  const share = (c: number) => (axis(c) >= 0 && pcs.total > 0 ? Math.max(0, pcs.values[c]!) / pcs.total : 0);
  return { explained: [share(0), share(1)], reference: coordinates(sides.reference, m), current: coordinates(sides.current, n) };
}

/** Up to `count` row numbers spread evenly over `rows` (all of them when fewer): what a chart draws. */
export function evenlySpaced(rows: number, count: number): number[] {
  if (rows <= count) return Array.from({ length: rows }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor((i * rows) / count));
}
