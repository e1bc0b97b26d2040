import type { GroupKey } from './groupedBinary';
import type { Db } from '../db';
import {
  bool,
  ident,
  join,
  num,
  oneOf,
  raw,
  rowsOf,
  select,
  selectKeyed,
  sql,
  withCtes,
  type Decoded,
  type Sql,
  type SqlLike,
} from '../sql';
import { normalQuantile } from './distributions';
import { labelledSql, predictedValueSql, type PerfSpec } from './spec';
import { defined, undefinedMetric, type Interval, type MetricValue } from './value';

export interface RegressionMetrics {
  n: number;
  mae: MetricValue;
  rmse: MetricValue;
  mape: MetricValue;
  r2: MetricValue;
  /** Mean of (prediction - label): positive means the model over-predicts. */
  mean_error: MetricValue;
  max_error: MetricValue;
}

/** sklearn's mean_absolute_percentage_error divides by max(|y|, float64 eps). */
const MAPE_EPS = 2.220446049250313e-16;

/** The sums behind the regression metrics of a group: one row of `regressionSumsSql`. */
const regressionSums = () => ({
  n: num(raw('count(*)::DOUBLE'), 0),
  sae: num(raw('fsum(abs(p - y))::DOUBLE'), 0),
  sse: num(raw('fsum((p - y) * (p - y))::DOUBLE'), 0),
  sse2: num(raw('fsum((p - y) * (p - y) * (p - y) * (p - y))::DOUBLE'), 0),
  sape: num(sql`fsum(abs(p - y) / greatest(abs(y), ${MAPE_EPS}))::DOUBLE`, 0),
  sape2: num(sql`fsum(abs(p - y) / greatest(abs(y), ${MAPE_EPS}) * abs(p - y) / greatest(abs(y), ${MAPE_EPS}))::DOUBLE`, 0),
  se: num(raw('fsum(p - y)::DOUBLE'), 0),
  sae2: num(raw('fsum(abs(p - y) * abs(p - y))::DOUBLE'), 0),
  max_error: num(raw('max(abs(p - y))::DOUBLE'), 0),
  constant_label: bool(raw('(min(y) = max(y))')),
  sst: num(raw('fsum((y - ybar) * (y - ybar))::DOUBLE'), 0),
});

export type RegressionSums = Decoded<ReturnType<typeof regressionSums>>;

/**
 * One scan of regression sums. Sums use DuckDB's fsum (Kahan-Babuska) so a million residuals keep about
 * 1e-15 relative accuracy; R2's total sum of squares is taken about the mean in a second pass (the
 * one-pass sum(y^2) - n*mean^2 form loses digits when the mean is large).
 */
export function regressionSumsSql(spec: PerfSpec, keys: GroupKey[] = [], where?: SqlLike) {
  const y = sql`CAST(${ident(spec.label)} AS DOUBLE)`;
  const p = predictedValueSql(spec);
  const k = keys.map((g) => ident(g.as));
  const keySelect = join(
    keys.map((g) => sql`${raw(g.sql)} AS ${ident(g.as)}, `),
    '',
  );
  const filter = sql`${labelledSql(spec)} AND isfinite(${p})${where ? sql` AND (${raw(where)})` : raw('')}`;
  const ctes = sql`base AS (SELECT ${keySelect}${y} AS y, ${p} AS p FROM ${ident(spec.table)} WHERE ${filter}),
centred AS (SELECT *, avg(y) OVER (${k.length ? sql`PARTITION BY ${k}` : raw('')}) AS ybar FROM base)`;
  const rest = k.length ? sql`FROM centred GROUP BY ${k} ORDER BY ${k}` : raw('FROM centred');
  return withCtes(
    ctes,
    selectKeyed(
      keys.map((g) => ({ expr: ident(g.as), as: g.as })),
      regressionSums(),
      rest,
    ),
  );
}

/** Normal-theory interval for a mean from its sum and sum of squares. */
function meanInterval(sum: number, sumSq: number, n: number, level = 0.95): Interval | undefined {
  if (n < 2) return undefined;
  const mean = sum / n;
  const variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
  const half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(variance / n);
  return { lo: mean - half, hi: mean + half, method: 'normal', level };
}

/**
 * R² as sklearn 1.2's r2_score (force_finite=True): 1 - SSE/SST; with constant labels (SST = 0) 1.0 when
 * the predictions are perfect and 0.0 otherwise; with fewer than two rows sklearn returns NaN (undefined).
 */
export function r2FromSums(n: number, sse: number, sst: number, constantLabel: boolean): MetricValue {
  if (n < 2) return undefinedMetric('R² needs at least two labelled rows');
  if (constantLabel || !(sst > 0)) return defined(sse === 0 ? 1 : 0);
  return defined(1 - sse / sst);
}

export function regressionFromSums(row: RegressionSums): RegressionMetrics {
  const n = row.n;
  if (n === 0) {
    const none = undefinedMetric('no labelled rows with a prediction');
    return { n, mae: none, rmse: none, mape: none, r2: none, mean_error: none, max_error: none };
  }
  const mseInterval = meanInterval(row.sse, row.sse2, n);
  return {
    n,
    mae: defined(row.sae / n, meanInterval(row.sae, row.sae2, n)),
    rmse: defined(
      Math.sqrt(row.sse / n),
      mseInterval && { ...mseInterval, lo: Math.sqrt(Math.max(0, mseInterval.lo)), hi: Math.sqrt(mseInterval.hi) },
    ),
    mape: defined(row.sape / n, meanInterval(row.sape, row.sape2, n)),
    r2: r2FromSums(n, row.sse, row.sst, row.constant_label === true),
    mean_error: defined(row.se / n, meanInterval(row.se, row.sse, n)),
    max_error: defined(row.max_error),
  };
}

export async function regressionMetrics(
  db: Db,
  spec: PerfSpec,
  options: { where?: SqlLike; signal?: AbortSignal } = {},
): Promise<RegressionMetrics> {
  return regressionFromSums((await oneOf(db, regressionSumsSql(spec, [], options.where), options)).row);
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** Residual (prediction - label) distribution: equal-width bins computed by one GROUP BY on an integer bin index. */
export async function residualHistogram(db: Db, spec: PerfSpec, bins = 40, signal?: AbortSignal): Promise<HistogramBin[]> {
  const e = sql`(${predictedValueSql(spec)} - CAST(${ident(spec.label)} AS DOUBLE))`;
  const from = sql`FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} AND isfinite(${e})`;
  const { lo, hi } = await oneOf(db, select({ lo: num(sql`min(${e})::DOUBLE`, 0), hi: num(sql`max(${e})::DOUBLE`, 0) }, from), { signal });
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const width = hi > lo ? (hi - lo) / bins : 1;
  const q = select(
    { bin: num(sql`least(CAST(floor((${e} - ${lo}) / ${width}) AS INTEGER), ${bins - 1})`, 0), count: num(raw('count(*)::DOUBLE'), 0) },
    sql`${from} GROUP BY 1 ORDER BY 1`,
  );
  return (await rowsOf(db, q, { signal })).map(({ bin, count }) => ({ lo: lo + bin * width, hi: lo + (bin + 1) * width, count }));
}

export interface ScatterBin {
  actual: number;
  predicted: number;
  count: number;
}

/** Predicted vs actual as a 2-D binned grid (bin centres and counts): a million dots would stall an SVG chart. */
export async function predictedVsActual(db: Db, spec: PerfSpec, bins = 50, signal?: AbortSignal): Promise<ScatterBin[]> {
  const y = sql`CAST(${ident(spec.label)} AS DOUBLE)`;
  const p = predictedValueSql(spec);
  const from = sql`FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} AND isfinite(${p})`;
  const range = select(
    { lo: num(sql`least(min(${y}), min(${p}))::DOUBLE`, 0), hi: num(sql`greatest(max(${y}), max(${p}))::DOUBLE`, 0) },
    from,
  );
  const { lo, hi } = await oneOf(db, range, { signal });
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const w = hi > lo ? (hi - lo) / bins : 1;
  const bin = (x: Sql) => num(sql`least(CAST(floor((${x} - ${lo}) / ${w}) AS INTEGER), ${bins - 1})`, 0);
  const q = select({ actual: bin(y), predicted: bin(p), count: num(raw('count(*)::DOUBLE'), 0) }, sql`${from} GROUP BY 1, 2 ORDER BY 1, 2`);
  return (await rowsOf(db, q, { signal })).map((x) => ({
    actual: lo + (x.actual + 0.5) * w,
    predicted: lo + (x.predicted + 0.5) * w,
    count: x.count,
  }));
}
