/**
 * TreeSHAP in Chromium, in the Explain view's worker pool (all cores), on the same rows and model
 * as 06-treeshap.ts: drop the rows and the model, open Explain, click Explain, stop the clock when the
 * summary shows. The app explains at most 2,000 rows (sampled evenly), so the native figure is only taken
 * when the rows file has no more than that, and then covers exactly the same rows.
 */
import { samplePeak } from '../lib/procmem';
import type { Scenario } from '../lib/scenario';
import treeshap from './06-treeshap';

const APP_SAMPLE = 2000;

const STEPS = `(async () => {
  const input = document.getElementById('bench-files');
  const dt = new DataTransfer();
  for (const file of input.files) dt.items.add(file);
  const t0 = performance.now();
  for (const type of ['dragenter', 'dragover', 'drop'])
    document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  let ready = 0, clicked = 0, step = 0;
  return await new Promise((resolve, reject) => {
    const check = () => {
      const error = document.querySelector('[data-testid="notice-error"], [data-testid="explain-error"]');
      if (error) return reject(new Error(error.textContent));
      if (step === 0 && document.querySelectorAll('[data-testid="dataset-item"]').length === 1) {
        [...document.querySelectorAll('[role="tab"]')].find((b) => b.textContent.trim() === 'Explain').click();
        step = 1;
      } else if (step === 1) {
        const run = document.querySelector('[data-testid="explain-run"]');
        if (run && !run.disabled) {
          ready = performance.now();
          clicked = performance.now();
          run.click();
          step = 2;
        }
      } else if (step === 2 && document.querySelector('[data-testid="explain-summary"]')) {
        const end = performance.now();
        return resolve({ total: end - t0, ready: ready - t0, explain: end - clicked,
          summary: document.querySelector('[data-testid="explain-summary"]').textContent.trim().slice(0, 200) });
      }
      requestAnimationFrame(check);
    };
    check();
  });
})()`;

const scenario: Scenario = {
  id: 'browser-treeshap',
  title: 'TreeSHAP in Chromium (Explain view, worker pool)',
  aim: 'issue 5: at least native speed per core, all cores used',
  pending: async () => null,
  prepare: async (ctx) => (await import('../lib/browser')).buildApp(ctx.root),
  cases: (ctx) => {
    const rows = Math.min(ctx.files.shapRows.rows, APP_SAMPLE);
    return [
      {
        key: 'rows',
        label: `${rows.toLocaleString('en-US')} rows, 200 trees of depth 6, path-dependent; Explain click to summary`,
        params: { rows: ctx.files.shapRows.rows },
      },
    ];
  },
  lantern: {
    name: 'Lantern in Debian Chromium (headless), built app: Explain view, TreeSHAP worker pool sized by hardwareConcurrency',
    async run(ctx) {
      const { openBuiltApp, stageFiles } = await import('../lib/browser');
      const peak = samplePeak();
      const app = await openBuiltApp(ctx.root);
      try {
        await stageFiles(app.page, [ctx.files.shapRows.csv, ctx.modelPath]);
        const r = (await app.page.evaluate(STEPS)) as { total: number; ready: number; explain: number; summary: string };
        return {
          ms: r.explain,
          parts: { 'drop -> ready to explain': r.ready },
          peakBytes: peak.stop(),
          peakHow: 'sum of PSS of the Chromium processes, sampled every 250 ms',
          detail: { summary: r.summary },
        };
      } finally {
        peak.stop();
        await app.close();
      }
    },
  },
  native: {
    name: `${treeshap.native!.name} (same rows)`,
    async run(ctx, params) {
      if (Number(params['rows']) > APP_SAMPLE)
        throw new Error(`not comparable: the app samples ${APP_SAMPLE} of ${String(params['rows'])} rows`);
      return treeshap.native!.run(ctx, params);
    },
  },
};

export default scenario;
