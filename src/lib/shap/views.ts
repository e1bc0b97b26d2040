import type { ShapResult } from './result';
import { featureColumn, meanAbsShap } from './summaries';

/**
 * Data for the explanation views, as pure functions of SHAP values and model inputs. Charts only draw
 * what these return, so the numbers on screen are the ones tested here.
 */

/**
 * The feature whose values best explain the spread of `feature`'s SHAP values at equal feature values
 * (shap's approximate_interactions): sort rows by the feature, cut them into bins of similar values, and
 * score every other feature by the mean |Pearson correlation| between its values and the SHAP values
 * inside the bins. Returns -1 when no other feature varies.
 */
export function strongestInteraction(result: ShapResult, X: Float64Array, feature: number, output = 0): number {
  const { rows, numFeatures: F } = result;
  const shap = featureColumn(result, feature, output);
  const order = Array.from({ length: rows }, (_, r) => r)
    .filter((r) => X[r * F + feature] === X[r * F + feature])
    .sort((a, b) => X[a * F + feature]! - X[b * F + feature]!);
  const binSize = Math.max(10, Math.floor(order.length / 10));
  let best = -1;
  let bestScore = 0;
  for (let j = 0; j < F; j++) {
    if (j === feature) continue;
    let score = 0;
    for (let start = 0; start < order.length; start += binSize) {
      const bin = order.slice(start, start + binSize).filter((r) => X[r * F + j] === X[r * F + j]);
      score += Math.abs(
        pearson(
          bin.map((r) => X[r * F + j]!),
          bin.map((r) => shap[r]!),
        ),
      );
    }
    if (score > bestScore) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 3) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

export interface WaterfallStep {
  label: string;
  /** Cumulative margin before and after this step. */
  from: number;
  to: number;
  value: number;
}

/**
 * A waterfall for one row: from the expected value, the largest |SHAP| features one by one, the rest
 * as one "other features" step, ending at the row's margin.
 */
export function waterfallSteps(
  values: readonly number[],
  labels: readonly string[],
  expectedValue: number,
  maxSteps = 10,
): WaterfallStep[] {
  const order = values.map((_, f) => f).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b);
  const shown = order.slice(0, maxSteps);
  const rest = order.slice(maxSteps);
  const steps: WaterfallStep[] = [];
  let at = expectedValue;
  for (const f of shown) {
    steps.push({ label: labels[f]!, from: at, to: at + values[f]!, value: values[f]! });
    at += values[f]!;
  }
  if (rest.length > 0) {
    const value = rest.reduce((s, f) => s + values[f]!, 0);
    steps.push({ label: `${rest.length} other features`, from: at, to: at + value, value });
  }
  return steps;
}

export interface BeeswarmPoint {
  feature: string;
  shap: number;
  /** Feature value scaled to 0..1 between its 5th and 95th percentile (clipped); NaN when missing. */
  colour: number;
  row: number;
}

/** Points for a beeswarm of the `top` most important features, at most `maxRows` rows each. */
export function beeswarmPoints(
  result: ShapResult,
  X: Float64Array,
  featureNames: readonly string[],
  top = 10,
  maxRows = 1000,
  output = 0,
): BeeswarmPoint[] {
  const { rows, numFeatures: F } = result;
  const importance = meanAbsShap(result, output);
  const features = Array.from(importance.keys())
    .sort((a, b) => importance[b]! - importance[a]!)
    .slice(0, top);
  const step = Math.max(1, Math.ceil(rows / maxRows));
  const points: BeeswarmPoint[] = [];
  for (const f of features) {
    const present: number[] = [];
    for (let r = 0; r < rows; r++) if (X[r * F + f] === X[r * F + f]) present.push(X[r * F + f]!);
    present.sort((a, b) => a - b);
    const lo = quantile(present, 0.05);
    const hi = quantile(present, 0.95);
    for (let r = 0; r < rows; r += step) {
      const x = X[r * F + f]!;
      const colour = x !== x ? NaN : hi > lo ? Math.min(1, Math.max(0, (x - lo) / (hi - lo))) : 0.5;
      points.push({ feature: featureNames[f]!, shap: result.values[(r * result.numOutputs + output) * F + f]!, colour, row: r });
    }
  }
  return points;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface AttributionWindow {
  /** Window start and end, epoch ms (end exclusive). */
  start: number;
  end: number;
  rows: number;
  /** Mean |SHAP| per feature over the window's rows. */
  importance: Float64Array;
}

const DAY = 86_400_000;

/**
 * Mean |SHAP| per feature per time window: days when the rows span under three weeks, else weeks
 * starting on Mondays (UTC). Rows with no timestamp are left out; empty windows are kept (rows 0,
 * importance NaN) so gaps show as gaps.
 */
export function importanceByWindow(result: ShapResult, timestamps: Float64Array, output = 0): AttributionWindow[] {
  const { rows, numFeatures: F, numOutputs: K, values } = result;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < rows; r++) {
    const t = timestamps[r]!;
    if (t !== t) continue;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (min === Infinity) return [];
  const width = max - min < 21 * DAY ? DAY : 7 * DAY;
  // 1970-01-01 was a Thursday: shift so weekly windows start on Monday 00:00 UTC.
  const origin = width === DAY ? 0 : -3 * DAY;
  const first = Math.floor((min - origin) / width);
  const count = Math.floor((max - origin) / width) - first + 1;
  const windows: AttributionWindow[] = Array.from({ length: count }, (_, w) => ({
    start: origin + (first + w) * width,
    end: origin + (first + w + 1) * width,
    rows: 0,
    importance: new Float64Array(F),
  }));
  for (let r = 0; r < rows; r++) {
    const t = timestamps[r]!;
    if (t !== t) continue;
    const w = windows[Math.floor((t - origin) / width) - first]!;
    w.rows++;
    const base = (r * K + output) * F;
    for (let f = 0; f < F; f++) w.importance[f]! += Math.abs(values[base + f]!);
  }
  for (const w of windows) for (let f = 0; f < F; f++) w.importance[f] = w.rows === 0 ? NaN : w.importance[f]! / w.rows;
  return windows;
}
