/**
 * Analysis scenarios (drift, metrics, slices): Lantern runs the analysis over tables loaded from the
 * Parquet files, recording its SQL; native DuckDB loads the same files into tables of the same names and
 * replays exactly that SQL. Loading is setup on both sides (it has its own scenarios).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/lib/db';
import { loadFile, openNodeDb } from './lantern';
import { nativeLoadSql, openNative, replay } from './native';
import { recordingDb } from './recordingDb';
import type { BenchContext, Measurement, Side } from './scenario';

export interface Tables {
  /** table name -> Parquet path */
  [table: string]: string;
}

function sqlFile(ctx: BenchContext, id: string, key: string): string {
  const dir = join(ctx.workDir, 'sql');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${id}-${key}.json`);
}

/** Lantern's side: load, then time `analyse` over a recording Db. */
export function lanternReplaySide<S = undefined>(
  id: string,
  name: string,
  tables: (ctx: BenchContext) => Tables,
  analyse: (db: Db, ctx: BenchContext, params: Record<string, unknown>, state: S) => Promise<Record<string, unknown>>,
  /** Untimed work before the measured part (its SQL must leave no tables behind: it is not replayed). */
  setup?: (db: Db, ctx: BenchContext, params: Record<string, unknown>) => Promise<S>,
): Side {
  return {
    name,
    async run(ctx, params): Promise<Measurement> {
      const inner = await openNodeDb();
      for (const [table, path] of Object.entries(tables(ctx))) await loadFile(inner, path, table);
      const state = (setup ? await setup(inner, ctx, params) : undefined) as S;
      const { db, recorded } = recordingDb(inner);
      // Process CPU time next to the wall time: DuckDB-WASM runs on this thread, so on a busy machine the
      // CPU time is the work and the wall time adds the waiting.
      const cpu = process.cpuUsage();
      const start = performance.now();
      const detail = await analyse(db, ctx, params, state);
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      writeFileSync(sqlFile(ctx, id, String(params['key'])), JSON.stringify(recorded.statements));
      return {
        ms,
        detail: {
          ...detail,
          sqlStatements: recorded.statements.length,
          msInDb: Math.round(recorded.dbMs),
          cpuMs: Math.round((used.user + used.system) / 1000),
        },
      };
    },
  };
}

/** Native side: the same tables from the same files, then the statements Lantern's last run recorded. */
export function nativeReplaySide(id: string, tables: (ctx: BenchContext) => Tables): Side {
  return {
    name: 'native DuckDB (@duckdb/node-api, default threads) replaying the SQL Lantern ran, every result chunk fetched (no conversion to JS values, no JS statistics)',
    async run(ctx, params): Promise<Measurement> {
      const statements = JSON.parse(readFileSync(sqlFile(ctx, id, String(params['key'])), 'utf8')) as string[];
      const native = await openNative();
      for (const [table, path] of Object.entries(tables(ctx))) await native.conn.run(nativeLoadSql(table, path, 'parquet'));
      const start = performance.now();
      const rows = await replay(native, statements);
      const ms = performance.now() - start;
      const detail = { statements: statements.length, rowsRead: rows, duckdb: native.version, threads: native.threads };
      native.close();
      return { ms, detail };
    },
  };
}
