/**
 * Drift of one column between the reference and current tables: the full statistics block (computed on
 * all rows), the method Evidently's table picks (or the user's), the score and the verdict.
 */
import type { Db } from '../db';
import type { SqlLike } from '../sql';
import { throwIfAborted } from '../errors';
import { queryColumns, numbers } from './arrowRows';
import { MAX_DISTINCT_FOR_VALUE_BINS, sturgesEdges } from './binning';
import { chi2GoodnessOfFit, chi2Homogeneity } from './chisquare';
import { jensenShannonDistance, psi } from './divergence';
import { ksTwoSample, type KsMode } from './ks';
import { DEFAULT_THRESHOLD, defaultMethod, isDrifted, isPValueMethod, type DriftKind, type DriftMethod } from './methods';
import { histogram, mergeSorted, referenceStd, sortValueCounts, summarizeEcdf, type EcdfSummary, type ValueCounts } from './ecdf';
import { distinctUpTo, pooledEnds, summarizeSorted } from './sortedSummary';
import {
  categoryCountsSql,
  finiteValuesSql,
  numericValueCountsSql,
  pooledCategoricalSql,
  pooledNumericSql,
  type DriftTables,
  type SideFilter,
} from './sql';
import { sortFinite } from './radixSort';
import { twoProportionZTest } from './ztest';

export interface NumericalStats {
  ks_statistic: number;
  ks_p_value: number;
  wasserstein: number;
  wasserstein_normed: number;
  psi: number;
  jensen_shannon_distance: number;
}

export interface CategoricalStats {
  chi2_statistic: number;
  chi2_p_value: number;
  chi2_dof: number;
  jensen_shannon_distance: number;
  psi: number;
  new_categories: string[];
  missing_categories: string[];
}

/** The distributions behind PSI / Jensen-Shannon, for charts: bin labels with reference and current counts. */
export interface Distribution {
  /** Histogram edges (numerical columns with more than 20 distinct reference values), else null. */
  edges: number[] | null;
  /** One label per bin: the value itself, or the bin range. */
  labels: string[];
  ref: number[];
  cur: number[];
}

export interface EffectSize {
  name: 'ks_statistic' | 'cramers_v' | 'cohens_h' | 'wasserstein_normed' | 'jensen_shannon_distance' | 'psi';
  value: number;
}

export interface ColumnDrift {
  name: string;
  kind: DriftKind;
  method: DriftMethod;
  /** The method's statistic: a p-value for ks/chisquare/z, a distance otherwise; null when untestable. */
  score: number | null;
  threshold: number;
  drifted: boolean;
  stats: NumericalStats | CategoricalStats | null;
  /** Non-null finite values compared on each side, and what was dropped first. */
  nRef: number;
  nCur: number;
  /** Distinct values of the two samples together (what the method table looks at). */
  nUnique: number;
  ksMode: KsMode | null;
  effect: EffectSize | null;
  warnings: string[];
  distribution: Distribution | null;
}

export interface ColumnDriftOptions {
  method?: DriftMethod;
  threshold?: number;
  signal?: AbortSignal;
  /** Restricts either side to some rows (a time window, a segment). */
  where?: SideFilter;
}

/** A p-value test on this many values per side detects differences too small to matter. */
export const LARGE_SAMPLE = 10_000;
/** How many new / missing category names to list (the counts are always complete). */
export const MAX_LISTED_CATEGORIES = 50;

/** Above this many distinct values (approximate), sorting each side beats counting per value. */
export const MAX_COUNTED_DISTINCT = 200_000;

export interface NumericalColumnInput {
  /** Approximate distinct count of both sides, to pick how values are loaded. */
  approxDistinct: number;
}

/**
 * Columns with few distinct values are counted by a GROUP BY in DuckDB (exact and compact); continuous
 * columns, where counting would not shrink anything, come over as one Float64Array per side, sorted here.
 */
export async function numericalColumnDrift(
  db: Db,
  t: DriftTables,
  column: string,
  input: NumericalColumnInput,
  options: ColumnDriftOptions = {},
): Promise<ColumnDrift> {
  const signal = options.signal;
  if (input.approxDistinct <= MAX_COUNTED_DISTINCT) {
    const cols = await queryColumns(db, numericValueCountsSql(pooledNumericSql(t, column, options.where)), { signal });
    throwIfAborted(signal);
    return numericalDriftFromCounts(
      column,
      sortValueCounts({ x: numbers(cols, 'x'), a: numbers(cols, 'a'), b: numbers(cols, 'b') }),
      options,
    );
  }
  const side = async (table: string, where: SqlLike | undefined) => {
    // numbers() hands over the decoded column (a fresh array or a view of bytes we own): sort it in place.
    return sortFinite(numbers(await queryColumns(db, finiteValuesSql(table, column, where), { signal }), 'x'));
  };
  const ref = await side(t.reference, options.where?.reference);
  throwIfAborted(signal);
  const cur = await side(t.current, options.where?.current);
  throwIfAborted(signal);
  return numericalDriftFromSorted(column, ref, cur, options);
}

/** Pure: the numerical drift result from the pooled value counts. */
export function numericalDriftFromCounts(
  column: string,
  vc: ValueCounts,
  options: { method?: DriftMethod; threshold?: number } = {},
): ColumnDrift {
  const summary = summarizeEcdf(vc);
  return numericalDrift(column, summary, options, {
    refStd: () => referenceStd(vc),
    distribution: () => {
      if (summary.distinctRef <= MAX_DISTINCT_FOR_VALUE_BINS)
        // Value bins are built only when used: a continuous column has millions of distinct values.
        return { edges: null, labels: Array.from(vc.x, (v) => String(v)), ref: Array.from(vc.a), cur: Array.from(vc.b) };
      const edges = sturgesEdges(summary.nRef + summary.nCur, summary.lo, summary.hi);
      return binned(edges, histogram(vc, edges));
    },
    counts: () => [Array.from(vc.a), Array.from(vc.b)],
  });
}

/**
 * Pure: the numerical drift result from the two sides' finite values, each sorted ascending. A
 * continuous column takes one merge pass (`summarizeSorted`); a column with few reference values, or a
 * count test the user asked for, needs per-value counts and goes through `mergeSorted`. Same numbers
 * either way.
 */
export function numericalDriftFromSorted(
  column: string,
  ref: Float64Array,
  cur: Float64Array,
  options: { method?: DriftMethod; threshold?: number } = {},
): ColumnDrift {
  const needsCounts = options.method === 'chisquare' || options.method === 'z' || cur.length === 0;
  if (needsCounts || distinctUpTo(ref, MAX_DISTINCT_FOR_VALUE_BINS + 1) <= MAX_DISTINCT_FOR_VALUE_BINS)
    return numericalDriftFromCounts(column, mergeSorted(ref, cur), options);
  const { lo, hi } = pooledEnds(ref, cur);
  const edges = sturgesEdges(ref.length + cur.length, lo, hi);
  const { summary, refStd, hist } = summarizeSorted(ref, cur, edges);
  // More than 20 reference values: the default method is never a count test (those need <= 5).
  return numericalDrift(column, summary, options, { refStd: () => refStd, distribution: () => binned(edges, hist), counts: null });
}

interface NumericalParts {
  refStd: () => number;
  /** The PSI / Jensen-Shannon bins. */
  distribution: () => Distribution;
  /** Per-value counts of each side, for chisquare and z; null where the caller guarantees neither runs. */
  counts: (() => [number[], number[]]) | null;
}

function numericalDrift(
  column: string,
  summary: EcdfSummary,
  options: { method?: DriftMethod; threshold?: number },
  parts: NumericalParts,
): ColumnDrift {
  const { nRef, nCur } = summary;
  const nUnique = summary.distinctAll;
  const method = options.method ?? defaultMethod('numerical', nRef, nUnique);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD[method];
  const base = { name: column, kind: 'numerical' as const, method, threshold, nRef, nCur, nUnique };
  if (nRef === 0 || nCur === 0) return untestable(base, nRef === 0 ? 'reference' : 'current');

  const ks = ksTwoSample(summary.dMinus > summary.dPlus ? summary.dMinus : summary.dPlus, nRef, nCur);
  // Evidently's norm: max(numpy.std(reference), 0.001).
  const wassersteinNormed = summary.wasserstein / Math.max(parts.refStd(), 0.001);
  let distribution = parts.distribution();
  const stats: NumericalStats = {
    ks_statistic: ks.statistic,
    ks_p_value: ks.pValue,
    wasserstein: summary.wasserstein,
    wasserstein_normed: wassersteinNormed,
    psi: psi(distribution.ref, distribution.cur),
    jensen_shannon_distance: jensenShannonDistance(distribution.ref, distribution.cur),
  };
  let score: number;
  let effect: EffectSize = { name: 'ks_statistic', value: ks.statistic };
  if (method === 'ks') score = ks.pValue;
  else if (method === 'wasserstein') score = wassersteinNormed;
  else if (method === 'psi') score = stats.psi;
  else if (method === 'jensenshannon') score = stats.jensen_shannon_distance;
  else {
    // chisquare and z look at value counts, whatever the binning of PSI / Jensen-Shannon.
    if (!parts.counts) throw new Error(`${method} needs per-value counts`);
    const counted = countTest(method, ...parts.counts());
    score = counted.score;
    effect = counted.effect;
  }
  // Value bins of a column whose reference has few values but whose current data is continuous can
  // number in the millions: keep the chart data small.
  if (distribution.edges === null && distribution.labels.length > 200) distribution = { edges: null, labels: [], ref: [], cur: [] };
  return finish({ ...base, score, stats, ksMode: ks.mode, effect, distribution });
}

function binned(edges: number[], counts: { ref: number[]; cur: number[] }): Distribution {
  return { edges, labels: counts.ref.map((_, i) => `${formatEdge(edges[i]!)} – ${formatEdge(edges[i + 1]!)}`), ...counts };
}

/** Each category (as text, in DuckDB's order) with its count on each side. */
export interface CategoryCounts {
  keys: string[];
  ref: number[];
  cur: number[];
}

export async function loadCategoryCounts(
  db: Db,
  t: DriftTables,
  column: string,
  options: ColumnDriftOptions = {},
): Promise<CategoryCounts> {
  const cols = await queryColumns(db, categoryCountsSql(pooledCategoricalSql(t, column, options.where)), { signal: options.signal });
  return { keys: (cols['k'] ?? []) as string[], ref: Array.from(numbers(cols, 'a')), cur: Array.from(numbers(cols, 'b')) };
}

export async function categoricalColumnDrift(
  db: Db,
  t: DriftTables,
  column: string,
  options: ColumnDriftOptions = {},
): Promise<ColumnDrift> {
  return categoricalDriftFromCounts(column, await loadCategoryCounts(db, t, column, options), options);
}

/** Pure: the categorical drift result from the category counts. */
export function categoricalDriftFromCounts(
  column: string,
  { keys, ref, cur }: CategoryCounts,
  options: { method?: DriftMethod; threshold?: number } = {},
): ColumnDrift {
  const nRef = ref.reduce((s, v) => s + v, 0);
  const nCur = cur.reduce((s, v) => s + v, 0);
  const nUnique = keys.length;
  const method = options.method ?? defaultMethod('categorical', nRef, nUnique);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD[method];
  const base = { name: column, kind: 'categorical' as const, method, threshold, nRef, nCur, nUnique };
  if (nRef === 0 || nCur === 0) return untestable(base, nRef === 0 ? 'reference' : 'current');

  const chi2 = chi2Homogeneity(ref, cur);
  const newCategories: string[] = [];
  const missingCategories: string[] = [];
  keys.forEach((k, i) => {
    if (ref[i] === 0) newCategories.push(String(k));
    if (cur[i] === 0) missingCategories.push(String(k));
  });
  const stats: CategoricalStats = {
    chi2_statistic: chi2.statistic,
    chi2_p_value: chi2.pValue,
    chi2_dof: chi2.dof,
    jensen_shannon_distance: jensenShannonDistance(ref, cur),
    psi: psi(ref, cur),
    new_categories: newCategories,
    missing_categories: missingCategories,
  };
  const cramersV: EffectSize = { name: 'cramers_v', value: Math.sqrt(chi2.statistic / (nRef + nCur)) };
  let score: number;
  let effect = cramersV;
  if (method === 'psi') score = stats.psi;
  else if (method === 'jensenshannon') score = stats.jensen_shannon_distance;
  else {
    const counted = countTest(method, ref, cur);
    score = counted.score;
    effect = counted.effect;
  }
  const distribution: Distribution = { edges: null, labels: keys.map(String), ref, cur };
  return finish({ ...base, score, stats, ksMode: null, effect, distribution });
}

/** chisquare (Evidently's goodness of fit) or z (first value in sort order against the rest) on value counts. */
function countTest(method: DriftMethod, ref: number[], cur: number[]): { score: number; effect: EffectSize } {
  const nRef = ref.reduce((s, v) => s + v, 0);
  const nCur = cur.reduce((s, v) => s + v, 0);
  if (method === 'z') {
    // Evidently codes the first key (sorted) as 0 and every other value as 1; the two-sided p is symmetric.
    const z = twoProportionZTest(nRef - (ref[0] ?? 0), nRef, nCur - (cur[0] ?? 0), nCur);
    return { score: z.pValue, effect: { name: 'cohens_h', value: z.cohensH } };
  }
  const gof = chi2GoodnessOfFit(ref, cur);
  const homogeneity = chi2Homogeneity(ref, cur);
  return { score: gof.pValue, effect: { name: 'cramers_v', value: Math.sqrt(homogeneity.statistic / (nRef + nCur)) } };
}

type Base = Pick<ColumnDrift, 'name' | 'kind' | 'method' | 'threshold' | 'nRef' | 'nCur' | 'nUnique'>;

function untestable(base: Base, side: 'reference' | 'current'): ColumnDrift {
  return {
    ...base,
    score: null,
    drifted: false,
    stats: null,
    ksMode: null,
    effect: null,
    warnings: [`No non-null values in the ${side} data: the column cannot be tested.`],
    distribution: null,
  };
}

function finish(partial: Omit<ColumnDrift, 'drifted' | 'warnings'>): ColumnDrift {
  const score = partial.score;
  const drifted = score !== null && isDrifted(partial.method, score, partial.threshold);
  const warnings: string[] = [];
  if (isPValueMethod(partial.method) && Math.min(partial.nRef, partial.nCur) >= LARGE_SAMPLE) {
    warnings.push(
      `The ${partial.method} test runs on ${Math.min(partial.nRef, partial.nCur).toLocaleString('en-US')}+ values per side: ` +
        `at this size almost any difference is "significant". Judge by the effect size (${partial.effect?.name} = ${partial.effect?.value.toPrecision(3)}) or use a distance method.`,
    );
  }
  if (score !== null && Number.isNaN(score)) warnings.push(`The ${partial.method} test is undefined for this column.`);
  return { ...partial, drifted, warnings };
}

function formatEdge(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}
