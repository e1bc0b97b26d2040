/**
 * What the investigation measures in each segment x window cell, each as a comparison of the cell with
 * its baseline (the same segment in the reference) that yields an effect in the measure's own unit and a
 * p-value. A measure is "one unit" off at its threshold, so effects of different measures are on one
 * footing for the severity.
 */
import { chi2Homogeneity } from '../drift/chisquare';
import { jensenShannonDistance } from '../drift/divergence';
import { twoProportionZTest } from '../drift/ztest';
import { normalSf } from '../metrics/distributions';
import { welchFromSums } from '../slices/significance';
import { currentSpan, referenceCounts, type CategoryCounts } from './categories';
import { sdPop, without, type Cell, type Grid, type Moments, type SegmentKey } from './grid';
import type { FindingKind } from './types';

export interface Comparison {
  /** In the measure's unit: the finding is one "unit" past its threshold at effect = threshold. */
  effect: number;
  p: number;
  /** Numbers for the title and the evidence. */
  detail: Record<string, number>;
}

/**
 * A measure over statistics of type T: how to read a span of current windows of a segment, the
 * reference's segment, how to remove a part, and how to compare.
 */
export interface Measure<T> {
  kind: FindingKind;
  column: string;
  /** What is compared: 'shift' of a distribution, 'missing' share, one 'stuck' value, 'unseen' values, 'error' of the model. */
  aspect: 'shift' | 'missing' | 'stuck' | 'unseen' | 'error' | 'categories';
  threshold: number;
  current(segment: SegmentKey, from: number, to: number): T;
  reference(segment: SegmentKey): T;
  rows(stats: T): number;
  minus(all: T, part: T): T;
  compare(current: T, baseline: T): Comparison | null;
}

const toSums = (m: Moments) => ({ n: m.n, s: m.n * m.mean, q: m.m2 + m.n * m.mean * m.mean });

/** Welch's t-test of two groups' means from their moments (two-sided p). */
export function welch(a: Moments, b: Moments): number {
  const x = toSums(a);
  const y = toSums(b);
  return welchFromSums(x.n, x.s, x.q, y.n, y.s, y.q)?.p ?? 1;
}

/** Log of the ratio of two spreads, with its two-sided p under normality (ln s² has variance ~2/(n-1)). */
function spreadTest(a: Moments, b: Moments): { logRatio: number; p: number } {
  const sa = sdPop(a);
  const sb = sdPop(b);
  if (!(sa > 0) || !(sb > 0) || a.n < 3 || b.n < 3) return { logRatio: 0, p: 1 };
  const logRatio = Math.log(sa / sb);
  const z = (2 * logRatio) / Math.sqrt(2 / (a.n - 1) + 2 / (b.n - 1));
  return { logRatio, p: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

/** A numeric column's distribution: mean shift and spread change in reference standard deviations. */
export function numericShift(grid: Grid, index: number, column: string, kind: FindingKind): Measure<Moments> {
  return {
    kind,
    column,
    aspect: 'shift',
    // Wasserstein / reference sd >= |mean shift| / reference sd: the screening effect is a lower bound of
    // the normed Wasserstein distance, whose drift threshold (Evidently's) is 0.1.
    threshold: 0.1,
    current: (s, from, to) => grid.span(s, from, to).x[index]!,
    reference: (s) => grid.referenceCell(s).x[index]!,
    rows: (m) => m.n,
    minus: without,
    compare(cur, base) {
      if (cur.n < 2 || base.n < 2) return null;
      const sd = sdPop(base);
      if (!(sd > 0)) return null;
      const shift = (cur.mean - base.mean) / sd;
      const spread = spreadTest(cur, base);
      const effect = Math.max(Math.abs(shift), Math.abs(spread.logRatio));
      return {
        effect,
        p: Math.min(welch(cur, base), spread.p),
        detail: { mean: cur.mean, baselineMean: base.mean, sd: sdPop(cur), baselineSd: sd, shift, spreadRatio: Math.exp(spread.logRatio) },
      };
    },
  };
}

/** Missing values: the share of rows without a value. */
export function missingShare(grid: Grid, index: number, column: string): Measure<{ rows: number; present: number }> {
  const pick = (c: Cell) => ({ rows: c.rows, present: c.present[index]! });
  return {
    kind: 'missing-values',
    column,
    aspect: 'missing',
    threshold: 0.05,
    current: (s, from, to) => pick(grid.span(s, from, to)),
    reference: (s) => pick(grid.referenceCell(s)),
    rows: (x) => x.rows,
    minus: (a, b) => ({ rows: a.rows - b.rows, present: a.present - b.present }),
    compare(cur, base) {
      if (cur.rows < 1 || base.rows < 1) return null;
      const share = 1 - cur.present / cur.rows;
      const baseline = 1 - base.present / base.rows;
      const z = twoProportionZTest(base.rows - base.present, base.rows, cur.rows - cur.present, cur.rows);
      // Only more missing values is a problem to report.
      return { effect: Math.max(0, share - baseline), p: share > baseline ? z.pValue : 1, detail: { share, baseline } };
    },
  };
}

/** One value where the reference varies: a frozen feed or a default filled in. */
export function stuckValue(grid: Grid, index: number, column: string): Measure<Moments> {
  return {
    kind: 'stuck-value',
    column,
    aspect: 'stuck',
    threshold: 0.5,
    current: (s, from, to) => grid.span(s, from, to).x[index]!,
    reference: (s) => grid.referenceCell(s).x[index]!,
    rows: (m) => m.n,
    minus: without,
    compare(cur, base) {
      if (cur.n < 2 || base.n < 2) return null;
      const sd = sdPop(base);
      if (!(sd > 0)) return null;
      const ratio = sdPop(cur) / sd;
      // The chance that n values from a varying source are all equal is negligible past a few rows.
      const stuck = ratio < 1e-9;
      return { effect: stuck ? 1 : 0, p: stuck ? 0 : 1, detail: { value: cur.mean, baselineSd: sd, baselineMean: base.mean } };
    },
  };
}

/** The model's per-row error (log loss, 0/1 error or absolute error), relative to the baseline's. */
export function errorIncrease(grid: Grid, column: string): Measure<Moments> {
  return {
    kind: 'performance',
    column,
    aspect: 'error',
    // Ten percent worse than the baseline is one unit.
    threshold: 0.1,
    current: (s, from, to) => grid.span(s, from, to).error,
    reference: (s) => grid.referenceCell(s).error,
    rows: (m) => m.n,
    minus: without,
    compare(cur, base) {
      if (cur.n < 2 || base.n < 2 || !(base.mean > 0)) return null;
      const relative = (cur.mean - base.mean) / base.mean;
      return {
        effect: Math.max(0, relative),
        p: relative > 0 ? welch(cur, base) : 1,
        detail: { error: cur.mean, baselineError: base.mean, relative },
      };
    },
  };
}

type Counts = Float64Array;

const total = (c: Counts) => c.reduce((a, b) => a + b, 0);

/** A categorical column's distribution: Jensen-Shannon distance, chi-square test of homogeneity. */
export function categoryShift(counts: CategoryCounts, kind: FindingKind): Measure<Counts> {
  return {
    kind,
    column: counts.column,
    aspect: 'categories',
    threshold: 0.1,
    current: (s, from, to) => currentSpan(counts, s, from, to),
    reference: (s) => referenceCounts(counts, s),
    rows: total,
    minus: (a, b) => a.map((v, i) => v - b[i]!),
    compare(cur, base) {
      const n = total(cur);
      const m = total(base);
      if (n < 1 || m < 1) return null;
      const js = jensenShannonDistance(base, cur);
      const test = chi2Homogeneity(base, cur);
      // The value whose share grew most: what the title names.
      let top = -1;
      let grew = -Infinity;
      cur.forEach((v, i) => {
        const g = v / n - base[i]! / m;
        if (g > grew) [grew, top] = [g, i];
      });
      return {
        effect: js,
        p: Number.isFinite(test.pValue) ? test.pValue : 1,
        detail: { distance: js, value: top, share: top >= 0 ? cur[top]! / n : 0, baselineShare: top >= 0 ? base[top]! / m : 0 },
      };
    },
  };
}

/** Values the reference never had: their share of the cell's values. */
export function unseenValues(counts: CategoryCounts): Measure<Counts> {
  const unseen = (c: Counts) => counts.inReference.reduce((a, seen, i) => a + (seen ? 0 : c[i]!), 0);
  return {
    kind: 'new-category',
    column: counts.column,
    aspect: 'unseen',
    threshold: 0.01,
    current: (s, from, to) => currentSpan(counts, s, from, to),
    reference: (s) => referenceCounts(counts, s),
    rows: total,
    minus: (a, b) => a.map((v, i) => v - b[i]!),
    compare(cur, base) {
      const n = total(cur);
      const m = total(base);
      if (n < 1 || m < 1) return null;
      const share = unseen(cur) / n;
      const baseline = unseen(base) / m;
      const z = twoProportionZTest(unseen(base), m, unseen(cur), n);
      return { effect: Math.max(0, share - baseline), p: share > baseline ? z.pValue : 1, detail: { share, baseline } };
    },
  };
}
