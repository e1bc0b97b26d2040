import { transfer } from 'comlink';
import { resultChartData, type ResultChartData, type ResultChartSpec } from '../../lib/console/chart';
import { csvFromIpc } from '../../lib/console/csv';
import type { ConsoleTable } from '../../lib/console/readOnly';
import { runConsoleQuery, type ConsoleResult } from '../../lib/console/run';
import { LanternError } from '../../lib/errors';
import type { LoadedDataset, ParquetCodec } from '../../lib/ingest';
import { inferRoles, type RoleMap } from '../../lib/roles';
import { describeTable, dropRelation, type ColumnInfo } from '../../lib/schema';
import { ident, literal } from '../../lib/sql';
import { tableToParquet } from '../../lib/tableSnapshot';
import type { CallContext, Scheduler } from '../scheduler';

/** A dataset as a load reports it (the shape of datasets.ts's LoadedWithRoles, which this file cannot import: it pulls in the browser engine). */
type LoadedWithRoles = LoadedDataset & { roles: RoleMap };

export type { ConsoleResult, ConsoleTable, ResultChartData, ResultChartSpec };

const RESULT = /^__console_\d+$/;

/**
 * The SQL console: a user's query runs read-only (src/lib/console/readOnly.ts) into a scratch table of the
 * console's, which the page pages through (`preview`), charts and exports; the datasets are never written.
 * "Create table from result" is the one way a result becomes a dataset.
 */
export function consoleApi(scheduler: Scheduler, parquet: ParquetCodec) {
  let next = 0;
  let current: string | null = null;
  const result = (table: string) => {
    if (!RESULT.test(table)) throw new LanternError('usage', 'Run the query again: that result is gone.');
    return table;
  };
  return {
    runConsoleQuery(ctx: CallContext, text: string, tables: ConsoleTable[]): Promise<ConsoleResult> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const out = await runConsoleQuery(db, { text, tables, into: `__console_${++next}` }, signal);
        // The previous result is dropped once this one exists: a failed or cancelled query leaves it on screen.
        if (current && current !== out.table) await dropRelation(db, current);
        current = out.table;
        scheduler.invalidate(out.table);
        return out;
      });
    },

    /** The columns of tables the console shows (for completion): the analysis table, the datasets. */
    describeTables(ctx: CallContext, tables: string[]): Promise<Record<string, ColumnInfo[]>> {
      return scheduler.run(ctx, async ({ db }) =>
        Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await describeTable(db, t)]))),
      );
    },

    consoleChart(ctx: CallContext, table: string, spec: ResultChartSpec): Promise<ResultChartData> {
      return scheduler.run(ctx, async ({ db, signal }) => resultChartData(db, result(table), await describeTable(db, table), spec, signal));
    },

    /** The whole result as CSV or Parquet bytes, transferred to the page. */
    exportConsoleResult(ctx: CallContext, table: string, format: 'csv' | 'parquet'): Promise<Uint8Array> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        result(table);
        const bytes =
          format === 'parquet'
            ? await tableToParquet(db, parquet, table, signal)
            : new TextEncoder().encode(csvFromIpc(await db.queryArrow(`SELECT * FROM ${ident(table)}`, { signal })));
        return transfer(bytes, [bytes.buffer as ArrayBuffer]);
      });
    },

    /** Makes a new dataset `table` from a result: the explicit way the console adds to the workspace. */
    createTableFromResult(ctx: CallContext, source: string, table: string, name: string): Promise<LoadedWithRoles> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        result(source);
        if (!/^ds_\d+$/.test(table)) throw new LanternError('usage', `"${table}" is not a dataset table name.`);
        const [exists] = await db.query(`SELECT count(*)::DOUBLE AS n FROM information_schema.tables WHERE table_name = ${literal(table)}`);
        if (Number(exists?.['n'] ?? 0) > 0) throw new LanternError('usage', `A dataset table "${table}" exists already.`);
        await db.query(`CREATE TABLE ${ident(table)} AS SELECT * FROM ${ident(source)}`, { signal });
        const columns = await describeTable(db, table);
        const [r] = await db.query(
          `SELECT (SELECT count(*) FROM ${ident(table)})::DOUBLE AS n, coalesce((SELECT estimated_size FROM duckdb_tables() WHERE table_name = ${literal(table)}), 0)::DOUBLE AS bytes`,
        );
        return {
          table,
          name,
          format: 'parquet',
          variant: 'parquet',
          bytes: Number(r?.['bytes'] ?? 0),
          rows: Number(r?.['n'] ?? 0),
          columns,
          roles: inferRoles(columns),
        };
      });
    },
  };
}
