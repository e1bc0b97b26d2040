import type { ColumnKind } from '../schema';
import { ident, sql, type Sql } from '../sql';

/**
 * The text form of a class value, the same for labels and predictions whatever their storage type: a
 * label stored as BIGINT 1 and a prediction stored as DOUBLE 1.0 are the same class "1"; booleans are
 * "1"/"0", so a True/False label matches 0/1 predicted labels (the usual pair in a log). Classes are
 * compared, grouped and shown by this text.
 */
export function classTextSql(column: string, kind: ColumnKind): Sql {
  const c = ident(column);
  if (kind === 'numeric') {
    const d = sql`CAST(${c} AS DOUBLE)`;
    return sql`(CASE WHEN ${d} = trunc(${d}) AND abs(${d}) < 1e15 THEN CAST(CAST(${d} AS BIGINT) AS VARCHAR) ELSE CAST(${d} AS VARCHAR) END)`;
  }
  if (kind === 'boolean') return sql`(CASE WHEN ${c} THEN '1' WHEN NOT ${c} THEN '0' END)`;
  return sql`CAST(${c} AS VARCHAR)`;
}
