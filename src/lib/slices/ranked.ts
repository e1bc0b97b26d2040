import { CellCounter, cellLayout, levelProgress, pacer, type CountedRows } from './cells';
import { defaultMinSupport, SLICE_DEFAULTS } from './defaults';
import type { Dimension, SlicePredicate } from './dimensions';
import { describeSlice } from './discover';
import { benjaminiHochberg, effectSizeFromSums, welchFromSums } from './significance';
import type { SliceSearchProgress } from './sliceline';

/** One slice of one or two conditions tested against the rows outside it. */
export interface SliceTest {
  /** Dimension indexes, ascending, and the code on each. */
  dims: number[];
  codes: number[];
  n: number;
  errorSum: number;
  errorSquares: number;
  /** Mean per-row error in the slice and outside it. */
  metric: number;
  rest_n: number;
  rest_metric: number;
  /** metric - rest_metric. */
  difference: number;
  /** Slice Finder's effect size of the slice against the rest (`effectSizeFromSums`). */
  effect_size: number;
  /** Welch's t-test of the slice against the rest, two-sided. */
  t: number;
  p_value: number;
  /** Benjamini-Hochberg over every slice tested, at both depths. */
  q_value: number;
  /** n * (metric - mean error overall): the error the slice adds beyond its share. */
  excess_error: number;
}

export interface SliceTests {
  rows: number;
  overall: number;
  errorSum: number;
  minSupport: number;
  tests: SliceTest[];
}

export interface RankingOptions {
  minSupport?: number;
  /** False discovery rate a ranked slice's q-value is below. */
  fdr?: number;
  /** Smallest effect size ranked (Cohen's "small", 0.2, by default). */
  minEffect?: number;
  /** Slices listed. */
  limit?: number;
  /** Counting passes shared with SliceLine (one- and two-dimension sums it already has are not counted again). */
  counter?: CellCounter;
  signal?: AbortSignal;
  onProgress?: (progress: SliceSearchProgress) => void;
}

/**
 * Every slice of one or two conditions on distinct dimensions with at least `minSupport` rows (and two
 * outside it), counted exhaustively - one dense pass per dimension and per pair of dimensions - and
 * tested against the rest of the rows: Welch's t-test, Slice Finder's effect size, and Benjamini-Hochberg
 * q-values over the whole family, so that the false discovery rate holds over every slice looked at.
 */
export async function testSlices(rows: CountedRows, options: RankingOptions = {}): Promise<SliceTests> {
  const counter = options.counter ?? new CellCounter(rows);
  if (counter.input.errors !== rows.errors) throw new Error('The shared counting passes are of other rows.');
  const pause = pacer(options.signal);
  const { rows: total, errorSum, errorSquares } = counter;
  const minSupport = Math.max(2, options.minSupport ?? defaultMinSupport(total));
  const overall = total > 0 ? errorSum / total : 0;
  const combos: number[][] = [];
  const d = rows.codes.length;
  for (let a = 0; a < d; a++) combos.push([a]);
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) combos.push([a, b]);
  // Passes SliceLine has not made (all of them when it ran to depth 1 or not at all) count as a stage of their own.
  const progress = levelProgress(
    combos.filter((c) => !counter.has(c)),
    'ranking',
    options.onProgress,
  );
  const found: Omit<SliceTest, 'q_value'>[] = [];
  for (const dims of combos) {
    if (!counter.has(dims)) {
      await pause();
      progress(dims);
    }
    const cells = counter.cells(dims);
    const { stride } = cellLayout(rows.cardinality, dims);
    const cards = dims.map((x) => rows.cardinality[x]!);
    // Cells with a code 0 on any dimension are rows in no slice there; the others are the slices.
    const c1s = dims.length === 2 ? cards[1]! : 2;
    for (let c0 = 1; c0 < cards[0]!; c0++) {
      for (let c1 = 1; c1 < c1s; c1++) {
        const idx = dims.length === 2 ? c0 * stride[0]! + c1 : c0;
        const n = cells.size[idx]!;
        if (n < minSupport || total - n < 2) continue;
        const s = cells.sum[idx]!;
        const q = cells.sq[idx]!;
        const test = welchFromSums(n, s, q, total - n, errorSum - s, errorSquares - q)!;
        const metric = s / n;
        const restMetric = (errorSum - s) / (total - n);
        found.push({
          dims,
          codes: dims.length === 2 ? [c0, c1] : [c0],
          n,
          errorSum: s,
          errorSquares: q,
          metric,
          rest_n: total - n,
          rest_metric: restMetric,
          difference: metric - restMetric,
          effect_size: effectSizeFromSums(n, s, q, total - n, errorSum - s, errorSquares - q)!,
          t: test.t,
          p_value: test.p,
          excess_error: n * (metric - overall),
        });
      }
    }
  }
  progress(null);
  const q = benjaminiHochberg(found.map((t) => t.p_value));
  return { rows: total, overall, errorSum, minSupport, tests: found.map((t, i) => ({ ...t, q_value: q[i]! })) };
}

/** Cohen's conventional thresholds for d (Cohen 1988, "Statistical Power Analysis for the Behavioral Sciences", chapter 2). */
export type EffectBand = 'large' | 'medium' | 'small';

function band(effect: number): EffectBand {
  return effect >= 0.8 ? 'large' : effect >= 0.5 ? 'medium' : 'small';
}
const BAND_ORDER: Record<EffectBand, number> = { large: 0, medium: 1, small: 2 };

export interface RankedSlice extends Omit<SliceTest, 'dims' | 'codes' | 'errorSum' | 'errorSquares'> {
  predicates: SlicePredicate[];
  label: string;
  where: string;
  overall: number;
  /** excess_error as a share of all the error (sum of per-row errors). */
  excess_share: number;
  severity: EffectBand;
}

export interface SliceRanking {
  rows: number;
  overall: number;
  minSupport: number;
  fdr: number;
  minEffect: number;
  /** Slices tested (the false-discovery family). */
  tested: number;
  /** Significantly worse than the rest (q < fdr). */
  significant: number;
  /** Of those, the ones whose effect is below minEffect. */
  belowEffect: number;
  /** Two-condition slices dropped as explained by one of their conditions. */
  subsumed: number;
  slices: RankedSlice[];
}

const key = (dims: number[], codes: number[]) => dims.map((d, i) => `${d}:${codes[i]}`).join(',');

/**
 * Slices where the model is clearly worse, small ones included (after Slice Finder, Chung et al., ICDE
 * 2019): of every slice of one or two conditions (`testSlices`), those significantly worse than the rest
 * (q < fdr) by at least `minEffect`, ordered by
 *   1. the band of the effect size (large >= 0.8, medium >= 0.5, small >= 0.2; Cohen's conventions),
 *   2. within a band, the excess error n * (mean in slice - mean overall), larger first,
 *   3. fewer conditions, then dimension and code order (a stable tie-break).
 * Why: with many rows any difference is significant, and a huge slice with a tiny difference adds the
 * most error only because it is huge - the effect floor drops it and the bands put severity first, so a
 * 1% slice failing badly outranks it; within a band, what adds more error comes first, and a small
 * slice's noisy effect estimate cannot reorder a band by hundredths. SliceLine's score (alpha 0.95)
 * penalises a 1% slice by (1 - alpha)(n/|S| - 1) = 4.95 and never lists it; this ranking is its complement.
 *
 * Subsumed (Slice Finder expands a slice only while it is not yet problematic): a two-condition slice
 * whose condition alone is ranked too is kept only if it is worse than that condition's other rows by
 * at least `minEffect` - otherwise its effect is the condition's, already listed.
 */
export async function rankSlices(dims: Dimension[], rows: CountedRows, options: RankingOptions = {}): Promise<SliceRanking> {
  const fdr = options.fdr ?? SLICE_DEFAULTS.fdr;
  const minEffect = options.minEffect ?? SLICE_DEFAULTS.minEffect;
  const { rows: total, overall, errorSum, minSupport, tests } = await testSlices(rows, options);
  const significant = tests.filter((t) => t.q_value < fdr && t.difference > 0);
  const flagged = significant.filter((t) => t.effect_size >= minEffect);
  const flaggedByKey = new Map(flagged.filter((t) => t.dims.length === 1).map((t) => [key(t.dims, t.codes), t]));
  const explained = (child: SliceTest) =>
    child.dims.some((d, i) => {
      const parent = flaggedByKey.get(key([d], [child.codes[i]!]));
      if (!parent) return false;
      const within = effectSizeFromSums(
        child.n,
        child.errorSum,
        child.errorSquares,
        parent.n - child.n,
        parent.errorSum - child.errorSum,
        parent.errorSquares - child.errorSquares,
      );
      return within === undefined || within < minEffect;
    });
  const kept = flagged.filter((t) => t.dims.length === 1 || !explained(t));
  kept.sort(
    (a, b) =>
      BAND_ORDER[band(a.effect_size)] - BAND_ORDER[band(b.effect_size)] ||
      b.excess_error - a.excess_error ||
      a.dims.length - b.dims.length ||
      compareCodes(a, b),
  );
  return {
    rows: total,
    overall,
    minSupport,
    fdr,
    minEffect,
    tested: tests.length,
    significant: significant.length,
    belowEffect: significant.length - flagged.length,
    subsumed: flagged.length - kept.length,
    slices: kept.slice(0, options.limit ?? SLICE_DEFAULTS.k).map((t) => {
      const { dims: at, codes, errorSum: _s, errorSquares: _q, ...stats } = t;
      return {
        ...describeSlice(dims, { dims: at, codes }),
        ...stats,
        overall,
        excess_share: errorSum > 0 ? t.excess_error / errorSum : 0,
        severity: band(t.effect_size),
      };
    }),
  };
}

function compareCodes(a: SliceTest, b: SliceTest): number {
  for (let i = 0; i < a.dims.length; i++) {
    const c = a.dims[i]! - b.dims[i]! || a.codes[i]! - b.codes[i]!;
    if (c) return c;
  }
  return 0;
}
