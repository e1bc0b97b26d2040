import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import { ident } from '../sql';

export interface FeatureMatrix {
  rows: number;
  /** Row-major rows x columns.length; NULL and values that are not numbers become NaN (missing). */
  X: Float64Array;
}

/** The SELECT that reads model inputs: each column as DOUBLE, NULL as NaN, in table order. */
export function featureMatrixSql(table: string, columns: readonly string[], limit?: number): string {
  const list = columns.map((c, i) => `COALESCE(TRY_CAST(${ident(c)} AS DOUBLE), 'NaN'::DOUBLE) AS ${ident(`f${i}`)}`).join(', ');
  const limitClause = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))}`;
  return `SELECT ${list} FROM ${ident(table)}${limitClause}`;
}

/**
 * Pulls only the model's input columns out of DuckDB, as Arrow, into one row-major Float64Array
 * (the layout TreeSHAP walks). Booleans become 0/1.
 */
export async function readFeatureMatrix(db: Db, table: string, columns: readonly string[], options: { limit?: number; signal?: AbortSignal } = {}): Promise<FeatureMatrix> {
  const bytes = await db.queryArrow(featureMatrixSql(table, columns, options.limit), options.signal ? { signal: options.signal } : {});
  const arrow = tableFromIPC(bytes);
  const rows = arrow.numRows;
  const F = columns.length;
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
