/**
 * From dropping the 1,000,000-row CSV on the built app in Chromium to the first table on screen
 * (now: the dataset card with its row count; the drift table once the drift view is on main, see
 * 08-browser-drift.ts). "cold" is the first drop after opening the app: the engine worker starts on first
 * use, so DuckDB-WASM's start is part of what the user waits for. "warm" drops the file again once the
 * engine runs. Native: DuckDB's own binary loading the same file.
 */
import { loadScenario } from '../lib/loadScenario';
import { samplePeak } from '../lib/procmem';
import type { Scenario } from '../lib/scenario';

const nativeCsv = loadScenario('csv').native!;

const scenario: Scenario = {
  id: 'browser-drop',
  title: 'Drop CSV to dataset card (Chromium, built app)',
  aim: 'issue 8: time to first table on screen',
  pending: async () => null,
  // Imported here and in run only, so the native runs of this file do not carry vite and Playwright in their RSS.
  prepare: async (ctx) => (await import('../lib/browser')).buildApp(ctx.root),
  cases: (ctx) => {
    const log = ctx.files.log[ctx.files.analysisLog]!;
    const rows = log.rows.toLocaleString('en-US');
    return [
      {
        key: 'cold',
        label: `${rows} rows x 31 columns (csv), first drop after opening the app, to the row count on the card`,
        params: { path: log.csv, rows: log.rows, warm: false },
      },
      {
        key: 'warm',
        label: `${rows} rows x 31 columns (csv), engine already running, to the row count on the card`,
        params: { path: log.csv, rows: log.rows, warm: true },
      },
    ];
  },
  lantern: {
    name: 'Lantern in Debian Chromium (headless, playwright-core), built app: drop -> engine worker (DuckDB-WASM) -> dataset card',
    async run(ctx, params) {
      const { cardShows, dropAndTime, openBuiltApp, stageFiles } = await import('../lib/browser');
      const peak = samplePeak();
      const app = await openBuiltApp(ctx.root);
      try {
        const rows = Number(params['rows']);
        await stageFiles(app.page, [String(params['path'])]);
        let count = 1;
        if (params['warm']) {
          await dropAndTime(app.page, cardShows(1, rows));
          count = 2;
        }
        const ms = await dropAndTime(app.page, cardShows(count, rows));
        return { ms, peakBytes: peak.stop(), peakHow: 'sum of PSS of the Chromium processes, sampled every 250 ms' };
      } finally {
        peak.stop();
        await app.close();
      }
    },
  },
  native: { ...nativeCsv, name: `${nativeCsv.name} (the same file)` },
};

export default scenario;
