import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import type { ColumnInfo } from '../schema';
import { ident, join, num, oneOf, raw, select, sql, type Sql } from '../sql';
import { MISSING_SPELLINGS } from './features';

export interface FeatureMatrix {
  rows: number;
  /** Row-major rows x columns.length; NULL and values that are not numbers become NaN (missing). */
  X: Float64Array;
}

/** The SELECT that reads model inputs (an Arrow pull): each column as DOUBLE, NULL as NaN, in table order. */
export function featureMatrixSql(table: string, columns: readonly string[], limit?: number, every = 1): string {
  const list = columns.map((c, i) => sql`COALESCE(TRY_CAST(${ident(c)} AS DOUBLE), 'NaN'::DOUBLE) AS ${ident(`f${i}`)}`);
  return sampledRowsSql(join(list, ', '), table, limit, every).text;
}

/** The name the row position takes inside `sampledRowsSql`: none of the select lists here use it. */
const POSITION = ident('__lantern_row_position');

/**
 * `SELECT <list> FROM <table>` in table order, optionally every k-th row and at most `limit` rows: a sample
 * that spans the whole log, so time windows late in a file are not left out. The same sampling keeps
 * matrices and side columns (ids, scores, timestamps) aligned row for row. The position is numbered by
 * `row_number() OVER ()`, which follows insertion order, rather than read from DuckDB's `rowid`: a user's
 * column named `rowid` hides that pseudo-column and would choose the rows (decision 0940). The list's
 * aliases must not be `__lantern_row_position`.
 */
export function sampledRowsSql(list: Sql, table: string, limit?: number, every = 1): Sql {
  const k = Math.max(1, Math.floor(every));
  const cap = limit === undefined ? raw('') : sql` LIMIT ${Math.max(0, Math.floor(limit))}`;
  if (k === 1) return sql`SELECT ${list} FROM ${ident(table)}${cap}`;
  return sql`SELECT * EXCLUDE (${POSITION}) FROM (SELECT ${list}, row_number() OVER () - 1 AS ${POSITION} FROM ${ident(table)}) WHERE ${POSITION} % ${k} = 0 ORDER BY ${POSITION}${cap}`;
}

/** A column as text aligned with `featureMatrixSql`'s rows (prediction ids for lists). */
export function textColumnSql(table: string, column: string, limit?: number, every = 1): string {
  return sampledRowsSql(sql`CAST(${ident(column)} AS VARCHAR) AS v`, table, limit, every).text;
}

/** A side column as numbers aligned with the matrix (an Arrow pull): timestamps as epoch ms, NULL as NaN. */
export function numericColumnSql(table: string, column: string, temporal: boolean, limit?: number, every = 1): string {
  const value = temporal ? sql`epoch_ms(${ident(column)}::TIMESTAMP)::DOUBLE` : sql`TRY_CAST(${ident(column)} AS DOUBLE)`;
  return sampledRowsSql(sql`COALESCE(${value}, 'NaN'::DOUBLE) AS v`, table, limit, every).text;
}

/**
 * Pulls only the model's input columns out of DuckDB, as Arrow, into one row-major Float64Array
 * (the layout TreeSHAP walks). Booleans become 0/1.
 */
export async function readFeatureMatrix(
  db: Db,
  table: string,
  columns: readonly string[],
  options: { limit?: number; every?: number; signal?: AbortSignal } = {},
): Promise<FeatureMatrix> {
  return readDoubles(db, featureMatrixSql(table, columns, options.limit, options.every), columns.length, options.signal);
}

/** Runs a SELECT of DOUBLE columns and packs the result row-major. */
export async function readDoubles(db: Db, sql: string, width: number, signal?: AbortSignal): Promise<FeatureMatrix> {
  const bytes = await db.queryArrow(sql, signal ? { signal } : {});
  const arrow = tableFromIPC(bytes);
  const rows = arrow.numRows;
  const F = width;
  const X = new Float64Array(rows * F);
  for (let f = 0; f < F; f++) {
    const vector = arrow.getChildAt(f);
    if (!vector) continue;
    let r = 0;
    for (const chunk of vector.data) {
      const values = chunk.values as Float64Array;
      for (let i = 0; i < chunk.length; i++, r++) X[r * F + f] = values[chunk.offset + i]!;
    }
  }
  return { rows, X };
}

/** Per text column, the values that are neither numbers nor a spelling of missing. */
export function nonNumericCountSql(table: string, columns: readonly string[]) {
  const counts = columns.map((name) => {
    const c = ident(name);
    return num(
      sql`count(*) FILTER (WHERE ${c} IS NOT NULL AND trim(${c}) NOT IN (${MISSING_SPELLINGS}) AND TRY_CAST(${c} AS DOUBLE) IS NULL)::DOUBLE`,
      0,
    );
  });
  return select({ nonNumeric: counts }, sql`FROM ${ident(table)}`);
}

/** Text columns whose values are all numbers or spellings of missing ("NA", "", ...): usable model inputs. */
export async function numericTextColumns(db: Db, table: string, columns: readonly ColumnInfo[]): Promise<Set<string>> {
  const text = columns.filter((c) => c.kind === 'string').map((c) => c.name);
  if (text.length === 0) return new Set();
  const { nonNumeric } = await oneOf(db, nonNumericCountSql(table, text));
  return new Set(text.filter((_, i) => nonNumeric[i] === 0));
}
