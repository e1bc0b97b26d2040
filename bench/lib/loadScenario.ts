/** The two load scenarios differ only in the file format: one builder for both. */
import { LANTERN_NODE, loadFile, openNodeDb } from './lantern';
import { nativeLoadSql, openNative } from './native';
import type { Scenario } from './scenario';

function rowsLabel(rows: number): string {
  return `${rows.toLocaleString('en-US')} rows x 31 columns`;
}

export function loadScenario(format: 'csv' | 'parquet', aim?: string): Scenario {
  return {
    id: `load-${format}`,
    title: `Load ${format === 'csv' ? 'CSV' : 'Parquet'}`,
    ...(aim ? { aim } : {}),
    pending: async () => null,
    cases: (ctx) =>
      // Logs without a CSV (the largest, for the CLI scenario) are not part of the load comparison.
      Object.entries(ctx.files.log)
        .filter(([, f]) => f.csv !== '')
        .map(([key, f]) => ({
          key,
          label: `${rowsLabel(f.rows)} (${format})`,
          heavy: key !== ctx.files.analysisLog,
          params: { path: format === 'csv' ? f.csv : f.parquet, rows: f.rows },
        })),
    lantern: {
      name: `${LANTERN_NODE}: loadDataset (src/lib/ingest.ts)${format === 'parquet' ? ', parquet-wasm decode + Arrow insert' : ', read_csv'}`,
      async run(_ctx, params) {
        const db = await openNodeDb();
        const start = performance.now();
        const loaded = await loadFile(db, String(params['path']), 'log');
        const ms = performance.now() - start;
        if (loaded.rows !== params['rows']) throw new Error(`loaded ${loaded.rows} rows, expected ${String(params['rows'])}`);
        return { ms, detail: { rows: loaded.rows, columns: loaded.columns.length } };
      },
    },
    native: {
      name: `native DuckDB (@duckdb/node-api, default threads): CREATE TABLE AS SELECT * FROM ${format === 'csv' ? 'read_csv (same options)' : 'read_parquet'}`,
      async run(_ctx, params) {
        const native = await openNative();
        const start = performance.now();
        await native.conn.run(nativeLoadSql('log', String(params['path']), format));
        // Lantern counts rows and describes the table after loading; so does this side.
        const [row] = (await native.conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM log')).getRowObjectsJS();
        await native.conn.runAndReadAll(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'log' ORDER BY ordinal_position`,
        );
        const ms = performance.now() - start;
        if (Number(row?.['n']) !== params['rows']) throw new Error(`loaded ${String(row?.['n'])} rows`);
        const detail = { rows: Number(row?.['n']), duckdb: native.version, threads: native.threads };
        native.close();
        return { ms, detail };
      },
    },
  };
}
