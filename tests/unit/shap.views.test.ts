import { describe, expect, it } from 'vitest';
import type { ShapResult } from '../../src/lib/shap/result';
import { meanAbsShap, featureOrder } from '../../src/lib/shap/summaries';
import { beeswarmPoints, importanceByWindow, strongestInteraction, waterfallSteps } from '../../src/lib/shap/views';

function result(values: number[][], numOutputs = 1): ShapResult {
  const F = values[0]!.length;
  return {
    rows: values.length / numOutputs,
    numFeatures: F,
    numOutputs,
    values: Float64Array.from(values.flat()),
    expectedValue: new Float64Array(numOutputs),
  };
}

describe('global importance', () => {
  it('is the mean absolute SHAP value per feature', () => {
    const r = result([
      [1, -2, 0],
      [-3, 2, 0.5],
    ]);
    expect(Array.from(meanAbsShap(r))).toEqual([2, 2, 0.25]);
    expect(featureOrder(meanAbsShap(r))).toEqual([0, 1, 2]);
  });

  it('reads one class of a multi-class result', () => {
    // rows x classes: row 0 class 0, row 0 class 1, row 1 class 0, row 1 class 1
    const r = result(
      [
        [1, 0],
        [0, 4],
        [3, 0],
        [0, -2],
      ],
      2,
    );
    expect(Array.from(meanAbsShap(r, 0))).toEqual([2, 0]);
    expect(Array.from(meanAbsShap(r, 1))).toEqual([0, 3]);
  });
});

describe('waterfall', () => {
  it('walks from the expected value to the margin, largest steps first, the rest grouped', () => {
    const steps = waterfallSteps([0.5, -2, 0.1, 0.05], ['a', 'b', 'c', 'd'], 1, 2);
    expect(steps.map((s) => s.label)).toEqual(['b', 'a', '2 other features']);
    expect(steps[0]).toEqual({ label: 'b', from: 1, to: -1, value: -2 });
    expect(steps.at(-1)!.to).toBeCloseTo(1 + 0.5 - 2 + 0.1 + 0.05, 15);
  });
});

describe('dependence colouring', () => {
  it('finds the feature that spreads the SHAP values at equal feature values', () => {
    // shap_0 = x0 * x2: at a given x0 the spread of shap_0 follows x2, not x1 (a seeded LCG drives x1, x2).
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const rows = 300;
    const X = new Float64Array(rows * 3);
    const values: number[][] = [];
    for (let r = 0; r < rows; r++) {
      const x0 = -1 + (2 * r) / rows;
      X.set([x0, rand(), rand() < 0.5 ? -1 : 1], r * 3);
      values.push([x0 * X[r * 3 + 2]!, 0, 0]);
    }
    expect(strongestInteraction(result(values), X, 0)).toBe(2);
  });

  it('returns -1 when nothing else varies', () => {
    const r = result([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(strongestInteraction(r, Float64Array.from([1, 5, 2, 5, 3, 5]), 0)).toBe(-1);
  });
});

describe('beeswarm points', () => {
  it('scales feature values between the 5th and 95th percentile, missing as NaN', () => {
    const r = result([[1], [2], [3]]);
    const points = beeswarmPoints(r, Float64Array.from([0, NaN, 10]), ['x']);
    expect(points.map((p) => p.shap)).toEqual([1, 2, 3]);
    expect(points[0]!.colour).toBe(0);
    expect(points[1]!.colour).toBeNaN();
    expect(points[2]!.colour).toBe(1);
  });
});

describe('attribution by time window', () => {
  const DAY = 86_400_000;
  it('uses days for short spans and keeps empty windows', () => {
    const r = result([
      [1, -1],
      [3, 1],
      [5, 0],
    ]);
    const t0 = Date.UTC(2026, 8, 7);
    const windows = importanceByWindow(r, Float64Array.from([t0 + 1000, t0 + 2000, t0 + 2 * DAY + 5]), 0);
    expect(windows.map((w) => w.rows)).toEqual([2, 0, 1]);
    expect(Array.from(windows[0]!.importance)).toEqual([2, 1]);
    expect(windows[1]!.importance[0]).toBeNaN();
    expect(windows[0]!.start).toBe(t0);
  });

  it('uses Monday-based weeks for long spans and skips rows without a time', () => {
    const r = result([[1], [2], [4]]);
    const monday = Date.UTC(2026, 8, 7); // 2026-09-07 is a Monday
    const windows = importanceByWindow(r, Float64Array.from([monday + DAY, NaN, monday + 30 * DAY]), 0);
    expect(windows[0]!.start).toBe(monday);
    expect(windows[0]!.end - windows[0]!.start).toBe(7 * DAY);
    expect(windows.map((w) => w.rows)).toEqual([1, 0, 0, 0, 1]);
    expect(windows.at(-1)!.importance[0]).toBe(4);
  });
});
