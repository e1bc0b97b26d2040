import { toCsv } from './report/csv';
import type { Db } from './db';
import { LanternError, throwIfAborted } from './errors';
import type { ParquetCodec } from './ingest';
import { ident, join, literal, raw, sql, type Sql } from './sql';

/**
 * A table a view shows, as the numbers behind it (never the rounded text on screen), for download as CSV
 * or Parquet. Built by each view from its results; small (rows of a report, not of a dataset).
 */
export type ExportCell = string | number | boolean | null;
export interface ExportTable {
  columns: string[];
  rows: ExportCell[][];
}

export type ExportColumnType = 'DOUBLE' | 'BOOLEAN' | 'VARCHAR';

/** A column is DOUBLE when its non-null cells are all numbers, BOOLEAN when all booleans, else VARCHAR. */
export function exportColumnTypes(table: ExportTable): ExportColumnType[] {
  return table.columns.map((_, i) => {
    const cells = table.rows.map((r) => r[i]).filter((v) => v !== null && v !== undefined);
    if (cells.length > 0 && cells.every((v) => typeof v === 'number')) return 'DOUBLE';
    if (cells.length > 0 && cells.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
    return 'VARCHAR';
  });
}

/** CSV as a spreadsheet reads it (RFC 4180, formula-looking text defused): numbers in full precision. */
export function exportTableCsv(table: ExportTable): string {
  return toCsv(table.columns, table.rows);
}

/** Column names made unique (a second "value" becomes "value_2"), as Parquet and SQL need. */
export function uniqueNames(columns: string[]): string[] {
  const seen = new Set<string>();
  return columns.map((name) => {
    let out = name || 'column';
    for (let k = 2; seen.has(out); k++) out = `${name || 'column'}_${k}`;
    seen.add(out);
    return out;
  });
}

function cell(value: ExportCell | undefined, type: ExportColumnType): Sql {
  const missing = value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));
  if (missing) return sql`CAST(NULL AS ${raw(type)})`;
  return sql`CAST(${type === 'VARCHAR' ? literal(String(value)) : literal(value)} AS ${raw(type)})`;
}

/**
 * The table as Parquet, written by the engine: its rows as typed SQL literals, read back as Arrow and
 * encoded by the engine's Parquet writer (the same path as saved workspaces). Infinite numbers become
 * NULL, as in the CSV.
 */
export async function exportTableParquet(db: Db, codec: ParquetCodec, table: ExportTable, signal?: AbortSignal): Promise<Uint8Array> {
  if (!codec.fromArrowStream) throw new LanternError('usage', 'This engine cannot write Parquet.');
  if (table.columns.length === 0) throw new LanternError('usage', 'This table has no columns to export.');
  const types = exportColumnTypes(table);
  const names = uniqueNames(table.columns).map((n) => ident(n));
  const query =
    table.rows.length === 0
      ? sql`SELECT ${join(
          types.map((t, i) => sql`${cell(null, t)} AS ${names[i]!}`),
          ', ',
        )} WHERE false`
      : sql`SELECT * FROM (VALUES ${join(
          table.rows.map(
            (row) =>
              sql`(${join(
                types.map((t, i) => cell(row[i], t)),
                ', ',
              )})`,
          ),
          ', ',
        )}) AS t(${join(names, ', ')})`;
  const ipc = await db.queryArrow(query.text, signal ? { signal } : undefined);
  throwIfAborted(signal);
  return codec.fromArrowStream(ipc);
}
