import type { GroupKey } from './groupedBinary';
import type { Db } from '../db';
import { ident, literal } from '../sql';
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

/**
 * One scan of regression sums. Sums use DuckDB's fsum (Kahan-Babuska) so a million residuals keep about
 * 1e-15 relative accuracy; R2's total sum of squares is taken about the mean in a second pass (the
 * one-pass sum(y^2) - n*mean^2 form loses digits when the mean is large).
 */
export function regressionSumsSql(spec: PerfSpec, keys: GroupKey[] = [], where?: string): string {
  const y = `CAST(${ident(spec.label)} AS DOUBLE)`;
  const p = predictedValueSql(spec);
  const k = keys.map((g) => ident(g.as));
  const keySelect = keys.map((g) => `${g.sql} AS ${ident(g.as)}, `).join('');
  const keyList = k.length ? `${k.join(', ')}, ` : '';
  const filter = `${labelledSql(spec)} AND isfinite(${p})${where ? ` AND (${where})` : ''}`;
  return `WITH base AS (SELECT ${keySelect}${y} AS y, ${p} AS p FROM ${ident(spec.table)} WHERE ${filter}),
centred AS (SELECT *, avg(y) OVER (${k.length ? `PARTITION BY ${k.join(', ')}` : ''}) AS ybar FROM base)
SELECT ${keyList}count(*)::DOUBLE AS n, fsum(abs(p - y))::DOUBLE AS sae, fsum((p - y) * (p - y))::DOUBLE AS sse,
  fsum((p - y) * (p - y) * (p - y) * (p - y))::DOUBLE AS sse2,
  fsum(abs(p - y) / greatest(abs(y), ${literal(MAPE_EPS)}))::DOUBLE AS sape,
  fsum(abs(p - y) / greatest(abs(y), ${literal(MAPE_EPS)}) * abs(p - y) / greatest(abs(y), ${literal(MAPE_EPS)}))::DOUBLE AS sape2,
  fsum(p - y)::DOUBLE AS se, fsum(abs(p - y) * abs(p - y))::DOUBLE AS sae2, max(abs(p - y))::DOUBLE AS max_error,
  (min(y) = max(y)) AS constant_label,
  fsum((y - ybar) * (y - ybar))::DOUBLE AS sst
FROM centred${k.length ? ` GROUP BY ${k.join(', ')} ORDER BY ${k.join(', ')}` : ''}`;
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

export function regressionFromSums(row: Record<string, unknown>): RegressionMetrics {
  const num = (name: string) => Number(row[name] ?? 0);
  const n = num('n');
  if (n === 0) {
    const none = undefinedMetric('no labelled rows with a prediction');
    return { n, mae: none, rmse: none, mape: none, r2: none, mean_error: none, max_error: none };
  }
  const mseInterval = meanInterval(num('sse'), num('sse2'), n);
  const sst = num('sst');
  return {
    n,
    mae: defined(num('sae') / n, meanInterval(num('sae'), num('sae2'), n)),
    rmse: defined(
      Math.sqrt(num('sse') / n),
      mseInterval && { ...mseInterval, lo: Math.sqrt(Math.max(0, mseInterval.lo)), hi: Math.sqrt(mseInterval.hi) },
    ),
    mape: defined(num('sape') / n, meanInterval(num('sape'), num('sape2'), n)),
    r2: r2FromSums(n, num('sse'), sst, row['constant_label'] === true),
    mean_error: defined(num('se') / n, meanInterval(num('se'), num('sse'), n)),
    max_error: defined(num('max_error')),
  };
}

export async function regressionMetrics(
  db: Db,
  spec: PerfSpec,
  options: { where?: string; signal?: AbortSignal } = {},
): Promise<RegressionMetrics> {
  const [row] = await db.query(regressionSumsSql(spec, [], options.where), options);
  return regressionFromSums(row ?? {});
}

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** Residual (prediction - label) distribution: equal-width bins computed by one GROUP BY on an integer bin index. */
export async function residualHistogram(db: Db, spec: PerfSpec, bins = 40, signal?: AbortSignal): Promise<HistogramBin[]> {
  const e = `(${predictedValueSql(spec)} - CAST(${ident(spec.label)} AS DOUBLE))`;
  const filter = `${labelledSql(spec)} AND isfinite(${e})`;
  const [range] = await db.query(`SELECT min(${e})::DOUBLE AS lo, max(${e})::DOUBLE AS hi FROM ${ident(spec.table)} WHERE ${filter}`, {
    signal,
  });
  const lo = Number(range?.['lo']);
  const hi = Number(range?.['hi']);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const width = hi > lo ? (hi - lo) / bins : 1;
  const rows = await db.query(
    `SELECT least(CAST(floor((${e} - ${literal(lo)}) / ${literal(width)}) AS INTEGER), ${bins - 1}) AS b, count(*)::DOUBLE AS c FROM ${ident(spec.table)} WHERE ${filter} GROUP BY 1 ORDER BY 1`,
    { signal },
  );
  return rows.map((r) => ({ lo: lo + Number(r['b']) * width, hi: lo + (Number(r['b']) + 1) * width, count: Number(r['c']) }));
}

export interface ScatterBin {
  actual: number;
  predicted: number;
  count: number;
}

/** Predicted vs actual as a 2-D binned grid (bin centres and counts): a million dots would stall an SVG chart. */
export async function predictedVsActual(db: Db, spec: PerfSpec, bins = 50, signal?: AbortSignal): Promise<ScatterBin[]> {
  const y = `CAST(${ident(spec.label)} AS DOUBLE)`;
  const p = predictedValueSql(spec);
  const filter = `${labelledSql(spec)} AND isfinite(${p})`;
  const [r] = await db.query(
    `SELECT least(min(${y}), min(${p}))::DOUBLE AS lo, greatest(max(${y}), max(${p}))::DOUBLE AS hi FROM ${ident(spec.table)} WHERE ${filter}`,
    { signal },
  );
  const lo = Number(r?.['lo']);
  const hi = Number(r?.['hi']);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const w = hi > lo ? (hi - lo) / bins : 1;
  const bin = (x: string) => `least(CAST(floor((${x} - ${literal(lo)}) / ${literal(w)}) AS INTEGER), ${bins - 1})`;
  const rows = await db.query(
    `SELECT ${bin(y)} AS a, ${bin(p)} AS b, count(*)::DOUBLE AS c FROM ${ident(spec.table)} WHERE ${filter} GROUP BY 1, 2`,
    { signal },
  );
  return rows.map((x) => ({ actual: lo + (Number(x['a']) + 0.5) * w, predicted: lo + (Number(x['b']) + 0.5) * w, count: Number(x['c']) }));
}
