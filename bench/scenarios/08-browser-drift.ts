/**
 * From dropping the reference and the 1,000,000-row log (CSV) on the built app in Chromium
 * to the first drift table on screen: both files load, the Drift tab is opened and Compare clicked as
 * soon as they can be (no think time), and the clock stops when the first drift row shows. The part from
 * the Compare click to the table is the drift report in the browser (the figure its aim is about).
 */
import { samplePeak } from '../lib/procmem';
import type { Scenario } from '../lib/scenario';

/** In-page steps: wait for both cards, open the Drift tab, click Compare, wait for a drift row. */
const STEPS = `(async () => {
  const input = document.getElementById('bench-files');
  const dt = new DataTransfer();
  for (const file of input.files) dt.items.add(file);
  const t0 = performance.now();
  for (const type of ['dragenter', 'dragover', 'drop'])
    document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  let loaded = 0, compared = 0, step = 0;
  return await new Promise((resolve, reject) => {
    const check = () => {
      const error = document.querySelector('[data-testid="notice-error"], .drift [role="alert"]');
      if (error) return reject(new Error(error.textContent));
      if (step === 0 && document.querySelectorAll('[data-testid="dataset-item"]').length === 2) {
        loaded = performance.now();
        [...document.querySelectorAll('[role="tab"]')].find((b) => b.textContent.trim() === 'Drift').click();
        step = 1;
      } else if (step === 1) {
        const run = document.querySelector('[data-testid="drift-run"]');
        if (run && !run.disabled) {
          compared = performance.now();
          run.click();
          step = 2;
        }
      } else if (step === 2 && document.querySelector('[data-testid="drift-row"]')) {
        const end = performance.now();
        return resolve({ total: end - t0, load: loaded - t0, compare: end - compared,
          reference: document.querySelector('[data-testid="drift-reference"] option:checked')?.textContent,
          current: document.querySelector('[data-testid="drift-current"] option:checked')?.textContent,
          rows: document.querySelectorAll('[data-testid="drift-row"]').length });
      }
      requestAnimationFrame(check);
    };
    check();
  });
})()`;

const scenario: Scenario = {
  id: 'browser-drift',
  title: 'Drop reference + log to drift table (Chromium, built app)',
  aim: 'issue 3: full drift report < 5 s in Chromium',
  pending: async () => null,
  prepare: async (ctx) => (await import('../lib/browser')).buildApp(ctx.root),
  cases: (ctx) => {
    const rows = ctx.files.reference.rows.toLocaleString('en-US');
    return [
      {
        key: 'csv',
        label: `${rows} reference + ${rows} current rows x 31 columns (two CSVs dropped together), every tested column; Compare clicked at once`,
        params: { reference: ctx.files.reference.csv, current: ctx.files.log[ctx.files.analysisLog]!.csv },
      },
    ];
  },
  lantern: {
    name: 'Lantern in Debian Chromium (headless, playwright-core), built app: drop -> both cards -> Drift tab -> Compare -> first drift row',
    async run(ctx, params) {
      const { openBuiltApp, stageFiles } = await import('../lib/browser');
      const peak = samplePeak();
      const app = await openBuiltApp(ctx.root);
      try {
        await stageFiles(app.page, [String(params['reference']), String(params['current'])]);
        const r = (await app.page.evaluate(STEPS)) as {
          total: number;
          load: number;
          compare: number;
          reference: string;
          current: string;
          rows: number;
        };
        return {
          ms: r.total,
          parts: { 'drop -> both cards': r.load, 'Compare -> drift table': r.compare },
          peakBytes: peak.stop(),
          peakHow: 'sum of PSS of the Chromium processes, sampled every 250 ms',
          detail: { reference: r.reference, current: r.current, driftRows: r.rows },
        };
      } finally {
        peak.stop();
        await app.close();
      }
    },
  },
};

export default scenario;
