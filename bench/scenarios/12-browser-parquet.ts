/**
 * Parquet read by row group in Chromium against CSV read through the File handle, the same rows: drop the
 * file on the built app, stop when the card shows its row count (the load includes compacting the table).
 * The "native" column of this scenario is the CSV drop in the same browser, so the ratio reads
 * Parquet / CSV (aim: below 1). Peak memory: the sum of PSS over Chromium's processes (aim: under 2 GB for
 * 5M rows x 31 columns).
 */
import { samplePeak } from '../lib/procmem';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';

async function dropOnce(ctx: BenchContext, path: string, rows: number): Promise<Measurement> {
  const { cardShows, dropAndTime, openBuiltApp, stageFiles } = await import('../lib/browser');
  const peak = samplePeak();
  const app = await openBuiltApp(ctx.root);
  try {
    await stageFiles(app.page, [path]);
    const ms = await dropAndTime(app.page, cardShows(1, rows));
    return { ms, peakBytes: peak.stop(), peakHow: 'sum of PSS of the Chromium processes, sampled every 250 ms' };
  } finally {
    peak.stop();
    await app.close();
  }
}

const scenario: Scenario = {
  id: 'browser-parquet',
  title: 'Drop Parquet vs CSV to dataset card (Chromium, built app)',
  aim: 'scale issue: Parquet faster than CSV; peak under 2 GB for 5M rows x 30 columns',
  pending: async () => null,
  prepare: async (ctx) => (await import('../lib/browser')).buildApp(ctx.root),
  cases: (ctx) =>
    Object.entries(ctx.files.log)
      .filter(([, f]) => f.csv !== '')
      .map(([key, f]) => ({
        key,
        label: `${f.rows.toLocaleString('en-US')} rows x 31 columns: Parquet (Lantern column) vs the same rows as CSV (native column)`,
        heavy: key !== ctx.files.analysisLog,
        params: { parquet: f.parquet, csv: f.csv, rows: f.rows },
      })),
  lantern: {
    name: 'Lantern in Debian Chromium, built app: drop the Parquet file -> card (read by row group through the File handle)',
    run: (ctx, params) => dropOnce(ctx, String(params['parquet']), Number(params['rows'])),
  },
  native: {
    name: 'the same app and browser: drop the same rows as CSV -> card (DuckDB-WASM read_csv through the File handle)',
    run: (ctx, params) => dropOnce(ctx, String(params['csv']), Number(params['rows'])),
  },
};

export default scenario;
