/**
 * Seeded inputs for the chart tests: every number comes from the counter-based generator of
 * tests/helpers/seeded.ts, so a snapshot changes only when a builder does.
 */
import type { HeatCell } from '../../src/charts/heatmap';
import type { DriftWindowPoint } from '../../src/charts/driftOverTime';
import type { MetricWindow } from '../../src/charts/metricOverTime';
import type { DependencePoint } from '../../src/charts/dependence';
import type { ImportanceRow } from '../../src/charts/shapImportance';
import type { Distribution } from '../../src/lib/drift/columnDrift';
import type { CurvePoint, ReliabilityBin, SweepPoint } from '../../src/lib/metrics/curves';
import type { HistogramBin as ResidualBin, ScatterBin } from '../../src/lib/metrics/regression';
import type { HistogramBin } from '../../src/lib/profile';
import type { AttributionWindow, BeeswarmPoint, WaterfallStep } from '../../src/lib/shap/views';
import { uniform } from '../helpers/seeded';

export const DAY = 86_400_000;
/** Monday 2026-09-07 00:00 UTC. */
export const T0 = Date.UTC(2026, 8, 7);

const counts = (n: number, seed: number, scale: number) => Array.from(uniform(n, seed), (u) => Math.round(10 + u * scale));

export function numericDistribution(): Distribution {
  const edges = Array.from({ length: 11 }, (_, i) => i * 10);
  return {
    edges,
    labels: edges.slice(0, -1).map((e, i) => `${e} – ${edges[i + 1]}`),
    ref: counts(10, 1, 400),
    cur: counts(10, 2, 400).map((c, i) => c + i * 30),
  };
}

export function categoricalDistribution(n = 30): Distribution {
  const labels = Array.from({ length: n }, (_, i) =>
    i === 0 ? 'a category whose name goes on far longer than any axis could show' : `region-${String(i).padStart(2, '0')}`,
  );
  return { edges: null, labels, ref: counts(n, 3, 900), cur: counts(n, 4, 900) };
}

/** Equal shares on both sides: each side's bar must read 33.3%, never 66.7%. */
export const evenDistribution: Distribution = { edges: null, labels: ['north', 'south', 'west'], ref: [100, 100, 100], cur: [50, 50, 50] };

export function columnHistogramBins(): HistogramBin[] {
  return counts(12, 5, 300).map((count, i) => ({ x0: i * 5, x1: (i + 1) * 5, count }));
}

/** Eight weekly windows of about a thousand rows, the last one a two-row day with an enormous score. */
export function driftWindows(withTinyLast = true): DriftWindowPoint[] {
  const u = uniform(8, 6);
  const weeks: DriftWindowPoint[] = Array.from({ length: 8 }, (_, i) => {
    const score = 0.02 + u[i]! * 0.05 + (i >= 5 ? 0.08 : 0);
    return { i, start: T0 + i * 7 * DAY, end: T0 + (i + 1) * 7 * DAY, rows: 900 + Math.round(u[i]! * 300), score, drifted: score > 0.1 };
  });
  if (withTinyLast) weeks.push({ i: 8, start: T0 + 56 * DAY, end: T0 + 57 * DAY, rows: 2, score: 2.5, drifted: true });
  return weeks;
}

export function metricWindowRows(withTinyLast = true): MetricWindow[] {
  const u = uniform(10, 7);
  const rows: MetricWindow[] = Array.from({ length: 10 }, (_, i) => ({
    start: T0 + i * DAY,
    end: T0 + (i + 1) * DAY,
    predictions: 800 + Math.round(u[i]! * 400),
    labelled: 500 + Math.round(u[i]! * 200),
    value: 0.84 + u[i]! * 0.06 - (i >= 7 ? 0.05 : 0),
    estimated: 0.85 + u[i]! * 0.04,
  }));
  if (withTinyLast) rows.push({ start: T0 + 10 * DAY, end: T0 + 11 * DAY, predictions: 3, labelled: 2, value: 0, estimated: 0.2 });
  return rows;
}

/**
 * 50 origins (on x, as a user might pick them) by 4 weeks: accuracy around 0.9, a few origins clearly
 * worse, and one two-row cell with an accuracy of 0 that must not set the colour scale.
 */
export function originCells(withTiny = true): HeatCell[] {
  const u = uniform(200, 8);
  const cells: HeatCell[] = [];
  for (let o = 0; o < 50; o++)
    for (let w = 0; w < 4; w++) {
      const bad = o % 17 === 5 ? 0.2 : 0;
      cells.push({
        x: `origin-${String(o).padStart(2, '0')}`,
        y: new Date(T0 + w * 7 * DAY).toISOString().slice(0, 10),
        xi: o,
        yi: w,
        n: 150 + Math.round(u[o * 4 + w]! * 400),
        value: 0.86 + u[o * 4 + w]! * 0.1 - bad,
      });
    }
  if (withTiny) {
    const tiny = cells.find((c) => c.x === 'origin-05' && c.yi === 3)!;
    tiny.n = 2;
    tiny.value = 0;
  }
  cells.find((c) => c.x === 'origin-02' && c.yi === 1)!.value = null;
  cells.find((c) => c.x === 'origin-02' && c.yi === 1)!.reason = 'only one class is present';
  return cells;
}

export function rocPoints(): CurvePoint[] {
  const u = Array.from(uniform(20, 9)).sort((a, b) => a - b);
  return [
    { x: 0, y: 0, threshold: Infinity },
    ...u.map((x, i) => ({ x, y: Math.min(1, Math.sqrt(x) + 0.02 * (i % 3)), threshold: 1 - x })),
    { x: 1, y: 1, threshold: 0 },
  ];
}

export function prPoints(): CurvePoint[] {
  return Array.from({ length: 20 }, (_, i) => ({ x: 1 - i / 19, y: 0.5 + 0.5 * (i / 19) ** 0.5, threshold: i / 19 }));
}

export function reliabilityBins(): ReliabilityBin[] {
  const u = uniform(10, 10);
  return Array.from({ length: 10 }, (_, i) => ({
    lo: i / 10,
    hi: (i + 1) / 10,
    count: i === 9 ? 7 : 200 + Math.round(u[i]! * 800),
    meanScore: i / 10 + 0.05,
    fractionPositive: i === 9 ? 0.2 : Math.min(1, Math.max(0, i / 10 + 0.05 + (u[i]! - 0.5) * 0.1)),
  }));
}

export function sweepPoints(): SweepPoint[] {
  return Array.from({ length: 21 }, (_, i) => {
    const t = i / 20;
    return {
      threshold: t,
      tp: 0,
      fp: 0,
      tn: 0,
      fn: 0,
      accuracy: 0.9,
      fpr: 0.1,
      precision: 0.4 + 0.55 * t,
      recall: 1 - t * t,
      f1: t === 1 ? null : 0.5 + 0.2 * Math.sin(Math.PI * t),
    };
  });
}

export function residualBins(): ResidualBin[] {
  return counts(16, 11, 500).map((count, i) => ({ lo: -4 + i * 0.5, hi: -3.5 + i * 0.5, count }));
}

export function scatterBins(): ScatterBin[] {
  const u = uniform(60, 12);
  return Array.from({ length: 30 }, (_, i) => ({ actual: i, predicted: i + (u[i]! - 0.5) * 6, count: 1 + Math.round(u[30 + i]! * 500) }));
}

export const featureNames = ['amount', 'age', 'merchant_category_with_a_very_long_descriptive_name', 'hour', 'region', 'device'];

export function importanceRows(): ImportanceRow[] {
  const u = uniform(12, 13);
  return featureNames
    .map((feature, i) => ({ feature, current: 0.05 + u[i]! * 0.5, reference: 0.05 + u[6 + i]! * 0.5 }))
    .sort((a, b) => b.current - a.current);
}

export function beeswarmPoints(): BeeswarmPoint[] {
  const u = uniform(600, 14);
  return featureNames.slice(0, 5).flatMap((feature, f) =>
    Array.from({ length: 60 }, (_, r) => ({
      feature,
      shap: (u[f * 60 + r]! - 0.5) * (1.5 - f * 0.25),
      colour: r % 13 === 0 ? NaN : u[300 + f * 60 + r]!,
      row: r,
    })),
  );
}

export function dependencePointsData(): DependencePoint[] {
  const u = uniform(240, 15);
  return Array.from({ length: 120 }, (_, r) => ({
    x: u[r]! * 100,
    y: (u[r]! - 0.5) * 0.8 + (u[120 + r]! - 0.5) * 0.1,
    c: r % 11 === 0 ? NaN : u[120 + r]! * 5,
  }));
}

/** Six weekly windows of explained rows, the last one with 3 rows and attributions far above the rest. */
export function attributionWindows(withTiny = true): AttributionWindow[] {
  const u = uniform(36, 16);
  const windows = Array.from({ length: 6 }, (_, w) => ({
    start: T0 + w * 7 * DAY,
    end: T0 + (w + 1) * 7 * DAY,
    rows: 300 + Math.round(u[w]! * 100),
    importance: Float64Array.from({ length: 6 }, (_, f) => 0.05 + u[6 + w * 5 + f]! * 0.3 * (6 - f) * 0.3),
  }));
  if (withTiny) windows.push({ start: T0 + 42 * DAY, end: T0 + 49 * DAY, rows: 3, importance: Float64Array.from({ length: 6 }, () => 4) });
  return windows;
}

export function waterfall(): WaterfallStep[] {
  const values = [0.8, -0.5, 0.3, -0.2, 0.1];
  const labels = [
    'amount = 912.4',
    'age = 37',
    'merchant_category_with_a_very_long_descriptive_name = electronics',
    'hour = 3',
    '2 other features',
  ];
  let at = -1.2;
  return values.map((value, i) => {
    const step = { label: labels[i]!, from: at, to: at + value, value };
    at += value;
    return step;
  });
}
