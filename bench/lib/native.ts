/**
 * Native DuckDB (@duckdb/node-api, DuckDB's C++ build) for the side-by-side figures: it loads the same
 * files and runs the same SQL that Lantern ran in DuckDB-WASM. Results are fetched chunk by chunk but not
 * converted to JS values: the native figure is the engine's own speed, Lantern's includes getting the answer
 * out (Arrow) and the statistics computed in JS.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ident, literal } from '../../src/lib/sql';

export interface NativeDb {
  conn: DuckDBConnection;
  version: string;
  threads: number;
  close(): void;
}

export async function openNative(): Promise<NativeDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  // The same pragmas as Lantern's engine (nothing downloaded); threads stay at DuckDB's default (all cores).
  await conn.run('SET autoinstall_known_extensions = false');
  const [row] = (await conn.runAndReadAll(`SELECT version() AS v, current_setting('threads')::INTEGER AS t`)).getRowObjectsJS();
  return {
    conn,
    version: String(row?.['v']),
    threads: Number(row?.['t']),
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Loads a file as a table the way native DuckDB users would: read_parquet, or read_csv with Lantern's CSV options. */
export function nativeLoadSql(table: string, path: string, format: 'csv' | 'parquet'): string {
  const t = ident(table);
  if (format === 'parquet') return `CREATE OR REPLACE TABLE ${t} AS SELECT * FROM read_parquet(${literal(path)})`;
  // The options src/lib/ingest.ts passes to read_csv, so both engines do the same parsing work.
  return `CREATE OR REPLACE TABLE ${t} AS SELECT * FROM read_csv(${literal(path)}, auto_detect = true, sample_size = 20480, delim = ',', skip = 0, strict_mode = true, null_padding = false)`;
}

/**
 * Runs statements in order and fetches every result's chunks; returns the rows read. The values stay in
 * DuckDB's vectors: converting a million-element list into JS values one by one (getRowsJS) cost more than
 * the query itself, so the native figure measured the binding's conversion rather than the engine.
 */
export async function replay(native: NativeDb, statements: readonly string[]): Promise<number> {
  let rows = 0;
  for (const sql of statements) {
    const reader = await native.conn.runAndReadAll(sql);
    rows += reader.currentRowCount;
  }
  return rows;
}
