/**
 * SQL for the drift statistics. Every scan runs in DuckDB and returns aggregates: one GROUP BY per
 * column over the pooled reference and current values gives the distinct values with a count from each
 * side, which is all the KS statistic, the Wasserstein distance and the category tests need (exact, and
 * compact when values repeat). Numerical values are cast to DOUBLE and NaN/±inf are dropped with NULLs
 * (`isfinite` is NULL for NULL), as Evidently does before its tests. The counts are pulled as Arrow
 * (`queryColumns`), so those builders return the statement's text.
 */
import { ident, raw, sql, type Sql, type SqlLike } from '../sql';

export interface DriftTables {
  reference: string;
  current: string;
}

/**
 * Row filters for each side: a time window, a segment. SQL boolean expressions written by a builder, as
 * `Sql` or as text (a time window keeps its filter as text: it travels with the results).
 */
export interface SideFilter {
  reference?: SqlLike | undefined;
  current?: SqlLike | undefined;
}

/** A side's filter, TRUE when there is none. */
export function filterSql(where: SqlLike | undefined): Sql {
  return where === undefined ? raw('TRUE') : raw(where);
}

/** Pooled finite numerical values of one column: x, and s = 0 (reference) or 1 (current). */
export function pooledNumericSql(t: DriftTables, column: string, where: SideFilter = {}): Sql {
  const c = ident(column);
  return sql`SELECT x, s FROM (SELECT CAST(${c} AS DOUBLE) AS x, 0 AS s FROM ${ident(t.reference)} WHERE ${filterSql(where.reference)} UNION ALL SELECT CAST(${c} AS DOUBLE) AS x, 1 AS s FROM ${ident(t.current)} WHERE ${filterSql(where.current)}) WHERE isfinite(x)`;
}

/** Pooled non-null categorical values of one column as text: k, and s. */
export function pooledCategoricalSql(t: DriftTables, column: string, where: SideFilter = {}): Sql {
  const c = ident(column);
  return sql`SELECT k, s FROM (SELECT CAST(${c} AS VARCHAR) AS k, 0 AS s FROM ${ident(t.reference)} WHERE ${filterSql(where.reference)} UNION ALL SELECT CAST(${c} AS VARCHAR) AS k, 1 AS s FROM ${ident(t.current)} WHERE ${filterSql(where.current)}) WHERE k IS NOT NULL`;
}

/** Finite values of one column on one side, for sorting in JS (columns with too many distinct values to count). */
export function finiteValuesSql(table: string, column: string, where?: SqlLike): string {
  return sql`SELECT x FROM (SELECT CAST(${ident(column)} AS DOUBLE) AS x FROM ${ident(table)} WHERE ${filterSql(where)}) WHERE isfinite(x)`
    .text;
}

/** Counts per distinct numerical value for both samples, unordered: x, a (reference), b (current). */
export function numericValueCountsSql(pooled: Sql): string {
  return sql`SELECT x, count(*) FILTER (WHERE s = 0)::DOUBLE AS a, count(*) FILTER (WHERE s = 1)::DOUBLE AS b FROM (${pooled}) GROUP BY x`
    .text;
}

/** Counts per category for both samples: k, a, b, ordered by k. */
export function categoryCountsSql(pooled: Sql): string {
  return sql`SELECT k, count(*) FILTER (WHERE s = 0)::DOUBLE AS a, count(*) FILTER (WHERE s = 1)::DOUBLE AS b FROM (${pooled}) GROUP BY k ORDER BY k`
    .text;
}
