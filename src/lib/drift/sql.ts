/**
 * SQL for the drift statistics. Every scan runs in DuckDB and returns aggregates: one GROUP BY per
 * column over the pooled reference and current values gives the distinct values with a count from each
 * side, which is all the KS statistic, the Wasserstein distance and the category tests need (exact, and
 * compact when values repeat). Numerical values are cast to DOUBLE and NaN/±inf are dropped with NULLs
 * (`isfinite` is NULL for NULL), as Evidently does before its tests.
 */
import { ident, literal } from '../sql';

export interface DriftTables {
  reference: string;
  current: string;
}

/** A DOUBLE literal that DuckDB parses back to exactly the same double (not via DECIMAL). */
export function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`Cannot write ${x} as a DOUBLE literal`);
  return `${literal(String(x))}::DOUBLE`;
}

/** Pooled finite numerical values of one column: x, and s = 0 (reference) or 1 (current). */
export function pooledNumericSql(t: DriftTables, column: string, where = 'TRUE'): string {
  const c = ident(column);
  return (
    `SELECT x, s FROM (SELECT CAST(${c} AS DOUBLE) AS x, 0 AS s FROM ${ident(t.reference)} WHERE ${where} ` +
    `UNION ALL SELECT CAST(${c} AS DOUBLE) AS x, 1 AS s FROM ${ident(t.current)} WHERE ${where}) WHERE isfinite(x)`
  );
}

/** Pooled non-null categorical values of one column as text: k, and s. */
export function pooledCategoricalSql(t: DriftTables, column: string, where = 'TRUE'): string {
  const c = ident(column);
  return (
    `SELECT k, s FROM (SELECT CAST(${c} AS VARCHAR) AS k, 0 AS s FROM ${ident(t.reference)} WHERE ${where} ` +
    `UNION ALL SELECT CAST(${c} AS VARCHAR) AS k, 1 AS s FROM ${ident(t.current)} WHERE ${where}) WHERE k IS NOT NULL`
  );
}

/**
 * One row: sample sizes, distinct counts, range, the largest positive and negative ECDF differences
 * (scipy's cdf1 - cdf2 at every pooled value, with ties resolved by counting through the tied group, as
 * searchsorted(side='right') does) and the Wasserstein-1 distance, the integral of |F_ref - F_cur|.
 */
export function ecdfSummarySql(pooled: string): string {
  return `WITH counts AS (
  SELECT x, count(*) FILTER (WHERE s = 0) AS a, count(*) FILTER (WHERE s = 1) AS b FROM (${pooled}) GROUP BY x
), totals AS (
  SELECT sum(a)::DOUBLE AS na, sum(b)::DOUBLE AS nb, count(*) FILTER (WHERE a > 0)::DOUBLE AS distinct_ref,
    count(*)::DOUBLE AS distinct_all, min(x) AS lo, max(x) AS hi FROM counts
), steps AS (
  SELECT x, (sum(a) OVER w)::DOUBLE AS ca, (sum(b) OVER w)::DOUBLE AS cb, lead(x) OVER (ORDER BY x) - x AS dx
  FROM counts WINDOW w AS (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT any_value(na) AS n_ref, any_value(nb) AS n_cur, any_value(distinct_ref) AS distinct_ref,
  any_value(distinct_all) AS distinct_all, any_value(lo) AS lo, any_value(hi) AS hi,
  max(ca / na - cb / nb) AS d_plus, max(cb / nb - ca / na) AS d_minus,
  sum(abs(ca / na - cb / nb) * dx) AS wasserstein
FROM steps, totals`;
}

/** Counts per histogram bin for both samples: bin, a (reference), b (current), ordered by bin. */
export function histogramSql(pooled: string, edges: readonly number[]): string {
  const bins = edges.length - 1;
  const first = doubleLiteral(edges[0]!);
  const scale = doubleLiteral(bins / (edges[bins]! - edges[0]!));
  const list = `[${edges.map(doubleLiteral).join(', ')}]::DOUBLE[]`;
  // numpy.histogram's bin for explicit edges (edges[i] <= x < edges[i+1], the last bin closed): an estimate
  // from the uniform spacing corrected by one against the exact edges, as numpy's uniform path does.
  return `WITH guessed AS (
  SELECT x, s, least(greatest(CAST(floor((x - ${first}) * ${scale}) AS INTEGER), 0), ${bins - 1}) AS g FROM (${pooled})
), binned AS (
  SELECT s, CASE WHEN x < list_extract(${list}, g + 1) THEN g - 1
    WHEN g < ${bins - 1} AND x >= list_extract(${list}, g + 2) THEN g + 1 ELSE g END AS bin FROM guessed
)
SELECT bin, count(*) FILTER (WHERE s = 0)::DOUBLE AS a, count(*) FILTER (WHERE s = 1)::DOUBLE AS b FROM binned GROUP BY bin ORDER BY bin`;
}

/** Counts per distinct numerical value for both samples: x, a, b, ordered by x. */
export function numericValueCountsSql(pooled: string): string {
  return `SELECT x, count(*) FILTER (WHERE s = 0)::DOUBLE AS a, count(*) FILTER (WHERE s = 1)::DOUBLE AS b FROM (${pooled}) GROUP BY x ORDER BY x`;
}

/** Counts per category for both samples: k, a, b, ordered by k. */
export function categoryCountsSql(pooled: string): string {
  return `SELECT k, count(*) FILTER (WHERE s = 0)::DOUBLE AS a, count(*) FILTER (WHERE s = 1)::DOUBLE AS b FROM (${pooled}) GROUP BY k ORDER BY k`;
}

export interface ProfileColumn {
  name: string;
  numeric: boolean;
}

/**
 * One scan of one table for all columns: rows, and per column the NULL count, the NaN/±inf count and
 * the population standard deviation of the finite values (numerical columns). Aliases are positional
 * (c0_nulls, ...) so that column names never have to be valid aliases.
 */
export function profileSql(table: string, columns: readonly ProfileColumn[]): string {
  const parts = ['count(*)::DOUBLE AS n_rows'];
  columns.forEach((col, i) => {
    const c = ident(col.name);
    parts.push(`count(*) FILTER (WHERE ${c} IS NULL)::DOUBLE AS c${i}_nulls`);
    if (col.numeric) {
      const x = `CAST(${c} AS DOUBLE)`;
      parts.push(`count(*) FILTER (WHERE NOT isfinite(${x}))::DOUBLE AS c${i}_nonfinite`);
      parts.push(`stddev_pop(${x}) FILTER (WHERE isfinite(${x})) AS c${i}_std`);
      parts.push(`avg(${x}) FILTER (WHERE isfinite(${x})) AS c${i}_mean`);
    }
  });
  return `SELECT ${parts.join(', ')} FROM ${ident(table)}`;
}
