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
import { ALL, sdPop, subtractCells, without, type Cell, type Grid, type Moments, type SegmentKey } from './grid';
import type { FindingKind } from './types';

export interface Comparison {
  /** In the measure's unit: the finding is one "unit" past its threshold at effect = threshold. */
  effect: number;
  /**
   * How far the cell is from its baseline either way, in the same unit: what normal variation is measured
   * from (a one-sided effect is 0 for every cell that improved, which would make any variation look rare).
   */
  deviation?: number;
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
  aspect:
    | 'shift'
    | 'missing'
    | 'stuck'
    | 'unseen'
    | 'error'
    | 'categories'
    | 'replay'
    | 'unexplained'
    | 'volume'
    | 'repeats'
    | 'labels'
    | 'rounded'
    | 'joint';
  threshold: number;
  /**
   * What a segment's run is compared with: the same segment in the reference (default, when there is one),
   * its own history in the log (when the reference cannot show it: no labels or scores there), or the
   * other rows of the same windows (what every window has, such as labels still to come).
   */
  baseline?: 'reference' | 'history' | 'rest-of-window';
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
    // One row in a hundred newly missing is one unit: a broken join rarely empties a whole column.
    threshold: 0.01,
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
      return {
        effect: Math.max(0, share - baseline),
        deviation: Math.abs(share - baseline),
        p: share > baseline ? z.pValue : 1,
        detail: { share, baseline },
      };
    },
  };
}

/** One value where the reference varies: a frozen feed or a default filled in. */
export function stuckValue(grid: Grid, index: number, column: string): Measure<Moments> {
  return {
    kind: 'stuck-value',
    column,
    aspect: 'stuck',
    // One value where the reference varies is never chance past a few rows: a stuck cell counts ten units.
    threshold: 0.1,
    current: (s, from, to) => grid.span(s, from, to).x[index]!,
    reference: (s) => grid.referenceCell(s).x[index]!,
    rows: (m) => m.n,
    minus: without,
    compare(cur, base) {
      if (cur.n < 2 || base.n < 2) return null;
      const sd = sdPop(base);
      if (!(sd > 0)) return null;
      const ratio = sdPop(cur) / sd;
      if (!(ratio < 1e-9)) return { effect: 0, p: 1, detail: { value: cur.mean, baselineSd: sd, baselineMean: base.mean } };
      // How likely n draws from the baseline all equal this value: by Cantelli's inequality a value at
      // distance t from the mean has probability at most var / (var + t^2); a rare one-valued run of a
      // 0/1 column (no 1 among 200 rows at a 1% rate) is then chance, a frozen counter is not.
      const t = cur.mean - base.mean;
      const single = (sd * sd) / (sd * sd + t * t);
      const p = t === 0 ? 1 : Math.exp(cur.n * Math.log(single));
      return { effect: 1, p, detail: { value: cur.mean, baselineSd: sd, baselineMean: base.mean } };
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
        deviation: Math.abs(relative),
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
    // Values the model never saw: a fifth of a percent of the rows is one unit.
    threshold: 0.002,
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
      // A handful of new values in a small cell is no evidence of a new category: ten rows at least.
      if (unseen(cur) < 10)
        return {
          effect: 0,
          deviation: Math.abs(share - baseline),
          p: 1,
          detail: { share, baseline, value: -1, gone: -1, newRows: unseen(cur), valueRows: 0 },
        };
      const z = twoProportionZTest(unseen(base), m, unseen(cur), n);
      // The most frequent new value, and a known value that vanished where it appeared (a rename).
      let value = -1;
      let gone = -1;
      counts.inReference.forEach((seen, i) => {
        if (!seen && (value < 0 || cur[i]! > cur[value]!)) value = i;
        if (seen && base[i]! / m >= 0.005 && cur[i]! / n <= 0.1 * (base[i]! / m) && (gone < 0 || base[i]! > base[gone]!)) gone = i;
      });
      // A rename hands the old value's rows to the new one: their shares are alike.
      if (gone >= 0 && value >= 0) {
        const ratio = cur[value]! / n / (base[gone]! / m);
        if (ratio < 0.5 || ratio > 2) gone = -1;
      }
      return {
        effect: Math.max(0, share - baseline),
        deviation: Math.abs(share - baseline),
        p: share > baseline ? z.pValue : 1,
        detail: { share, baseline, value, gone, newRows: unseen(cur), valueRows: value >= 0 ? cur[value]! : 0 },
      };
    },
  };
}

/** A linear fit of the score on the inputs in the reference: intercept, one coefficient per input, residual spread. */
export interface ScoreFit {
  intercept: number;
  /** By index into the grid's numeric columns. */
  coefficients: Map<number, number>;
  residualSd: number;
}

/**
 * The score's move that its inputs do not explain: the cell's mean score minus what the reference's
 * linear fit of score on inputs gives for the cell's mean inputs, against the same in the baseline. The
 * world changing moves inputs and score together; a stale model, a wrong version or a broken feature
 * transform moves the score alone.
 */
export function unexplainedScore(grid: Grid, scoreIndex: number, fit: ScoreFit, column: string): Measure<Cell> {
  const residual = (c: Cell) => {
    let r = c.x[scoreIndex]!.mean - fit.intercept;
    for (const [j, b] of fit.coefficients) r -= b * c.x[j]!.mean;
    return r;
  };
  const n = (c: Cell) => c.x[scoreIndex]!.n;
  return {
    kind: 'output-drift',
    column,
    aspect: 'unexplained',
    // A linear fit of a tree model leaves structure in its residuals: half a residual sd is one unit.
    threshold: 0.5,
    current: (s, from, to) => grid.span(s, from, to),
    reference: (s) => grid.referenceCell(s),
    rows: n,
    minus: subtractCells,
    compare(cur, base) {
      if (n(cur) < 2 || n(base) < 2 || !(fit.residualSd > 0)) return null;
      const shift = (residual(cur) - residual(base)) / fit.residualSd;
      const z = shift / Math.sqrt(1 / n(cur) + 1 / n(base));
      return {
        effect: Math.abs(shift),
        p: Math.min(1, 2 * normalSf(Math.abs(z))),
        detail: {
          shift,
          mean: cur.x[scoreIndex]!.mean,
          baselineMean: base.x[scoreIndex]!.mean,
          unexplained: residual(cur) - residual(base),
        },
      };
    },
  };
}

/** A segment's share of the log's rows: a feed that stops (or floods) shows as a share that moves. */
export function volumeShare(grid: Grid, minRows: number): Measure<{ seg: number; all: number }> {
  return {
    kind: 'volume',
    column: '',
    aspect: 'volume',
    // The share of rows multiplied or divided by about 1.35 is one unit.
    threshold: 0.3,
    current: (s, from, to) => ({ seg: grid.span(s, from, to).rows, all: grid.span(ALL, from, to).rows }),
    reference: (s) => ({ seg: grid.referenceCell(s).rows, all: grid.referenceCell(ALL).rows }),
    // A segment that vanished has no rows: support is the window's.
    rows: (x) => x.all,
    minus: (a, b) => ({ seg: a.seg - b.seg, all: a.all - b.all }),
    compare(cur, base) {
      if (cur.all < 1 || base.all < 1 || base.seg < 1) return null;
      const share = cur.seg / cur.all;
      const baseline = base.seg / base.all;
      const ratio = Math.max(share, 0.5 / cur.all) / baseline;
      // Seven rows where one was expected is chance at this scale, however small its p-value: the rows
      // that came, or those that should have, must be enough to read.
      if (Math.max(cur.seg, baseline * cur.all) < minRows) return null;
      const z = twoProportionZTest(base.seg, base.all, cur.seg, cur.all);
      return {
        effect: Math.abs(Math.log(ratio)),
        p: z.pValue,
        detail: { share, baseline, rows: cur.seg, expected: baseline * cur.all },
      };
    },
  };
}

/** Rows whose id repeats (a retry storm, a double load): the share of such rows, from a 0/1 column of the grid. */
export function repeatedRows(grid: Grid, index: number, column: string): Measure<Moments> {
  return {
    kind: 'data-quality',
    column,
    aspect: 'repeats',
    threshold: 0.01,
    current: (s, from, to) => grid.span(s, from, to).x[index]!,
    reference: (s) => grid.referenceCell(s).x[index]!,
    rows: (m) => m.n,
    minus: without,
    compare(cur, base) {
      if (cur.n < 1 || base.n < 1) return null;
      const share = cur.mean;
      const baseline = base.mean;
      const z = twoProportionZTest(Math.round(baseline * base.n), base.n, Math.round(share * cur.n), cur.n);
      return {
        effect: Math.max(0, share - baseline),
        deviation: Math.abs(share - baseline),
        p: share > baseline ? z.pValue : 1,
        detail: { share, baseline, rows: Math.round(share * cur.n) },
      };
    },
  };
}

/**
 * Values rounded to a coarser step than the reference's (a feed that sends whole numbers or tens): the
 * share of values that are multiples of the step, from a 0/1 column of the grid.
 */
export function roundedValues(grid: Grid, index: number, column: string): Measure<Moments> {
  // Ten more values in a hundred on the step is one unit: a feed rounds all of its values, or none.
  return { ...repeatedRows(grid, index, column), aspect: 'rounded', threshold: 0.1 };
}

/**
 * Labels still missing, against the other rows of the same windows (every recent window waits for some
 * labels; a segment whose labels stopped coming waits for many more).
 */
export function labelsMissing(grid: Grid, index: number, column: string): Measure<{ rows: number; present: number }> {
  const m = missingShare(grid, index, column);
  return { ...m, kind: 'data-quality', aspect: 'labels', threshold: 0.05, baseline: 'rest-of-window' };
}
