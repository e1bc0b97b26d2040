import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import { ident } from '../sql';

export interface FeatureMatrix {
  rows: number;
  /** Row-major rows x columns.length; NULL and values that are not numbers become NaN (missing). */
  X: Float64Array;
}

/** The SELECT that reads model inputs: each column as DOUBLE, NULL as NaN, in table order. */
export function featureMatrixSql(table: string, columns: readonly string[], limit?: number, every = 1): string {
  const list = columns.map((c, i) => `COALESCE(TRY_CAST(${ident(c)} AS DOUBLE), 'NaN'::DOUBLE) AS ${ident(`f${i}`)}`).join(', ');
  return `SELECT ${list} FROM ${ident(table)}${sampleClause(limit, every)}`;
}

/**
 * Rows in table order, optionally every k-th row (rowid follows insertion order): a sample that spans
 * the whole log, so time windows late in a file are not left out. The same clause keeps matrices and
 * side columns (ids, scores, timestamps) aligned row for row.
 */
export function sampleClause(limit?: number, every = 1): string {
  const k = Math.max(1, Math.floor(every));
  const where = k > 1 ? ` WHERE rowid % ${k} = 0` : '';
  const order = k > 1 ? ' ORDER BY rowid' : '';
  const limitClause = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`;
  return `${where}${order}${limitClause}`;
}

/** A side column as numbers aligned with the matrix: timestamps as epoch ms, NULL as NaN. */
export function numericColumnSql(table: string, column: string, temporal: boolean, limit?: number, every = 1): string {
  const value = temporal ? `epoch_ms(${ident(column)}::TIMESTAMP)::DOUBLE` : `TRY_CAST(${ident(column)} AS DOUBLE)`;
  return `SELECT COALESCE(${value}, 'NaN'::DOUBLE) AS v FROM ${ident(table)}${sampleClause(limit, every)}`;
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
