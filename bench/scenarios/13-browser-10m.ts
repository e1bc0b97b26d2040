/**
 * Ten million rows in a tab: the 1M-row reference and the 10M-row log (Parquet, 31 columns) dropped
 * together on the built app in Chromium; then either the Drift tab (Compare clicked at once, to the first
 * drift row) or the Overview (drift, data quality, performance and the check suite, to its drift card).
 * Parts: drop -> both cards, and the analysis after them.
 */
import { samplePeak } from '../lib/procmem';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';

const STEPS = (view: 'drift' | 'overview') => `(async () => {
  const input = document.getElementById('bench-files');
  const dt = new DataTransfer();
  for (const file of input.files) dt.items.add(file);
  const t0 = performance.now();
  for (const type of ['dragenter', 'dragover', 'drop'])
    document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  let loaded = 0, started = 0, step = 0;
  const tab = (name) => [...document.querySelectorAll('[role="tab"]')].find((b) => b.textContent.trim() === name);
  return await new Promise((resolve, reject) => {
    const check = () => {
      const error = document.querySelector('[data-testid="notice-error"], [data-testid="load-offer"], .drift [role="alert"]');
      if (error) return reject(new Error(error.textContent));
      if (step === 0 && document.querySelectorAll('[data-testid="dataset-item"]').length === 2) {
        loaded = performance.now();
        tab(${JSON.stringify(view === 'drift' ? 'Drift' : 'Overview')}).click();
        started = performance.now();
        step = 1;
      } else if (step === 1 && ${JSON.stringify(view)} === 'drift') {
        const run = document.querySelector('[data-testid="drift-run"]');
        if (run && !run.disabled) { started = performance.now(); run.click(); step = 2; }
      } else if (step === 1 && document.querySelector('[data-testid="overview-drift"]')) {
        const end = performance.now();
        return resolve({ total: end - t0, load: loaded - t0, analysis: end - started });
      } else if (step === 2 && document.querySelector('[data-testid="drift-row"]')) {
        const end = performance.now();
        return resolve({ total: end - t0, load: loaded - t0, analysis: end - started, rows: document.querySelectorAll('[data-testid="drift-row"]').length });
      }
      requestAnimationFrame(check);
    };
    check();
  });
})()`;

async function run(ctx: BenchContext, params: Record<string, unknown>): Promise<Measurement> {
  const { openBuiltApp, stageFiles } = await import('../lib/browser');
  const peak = samplePeak();
  const app = await openBuiltApp(ctx.root);
  try {
    await stageFiles(app.page, [String(params['reference']), String(params['log'])]);
    const view = params['view'] as 'drift' | 'overview';
    const r = (await app.page.evaluate(STEPS(view))) as { total: number; load: number; analysis: number; rows?: number };
    return {
      ms: r.total,
      parts: { 'drop -> both cards': r.load, [view === 'drift' ? 'Compare -> drift table' : 'Overview tab -> drift card']: r.analysis },
      peakBytes: peak.stop(),
      peakHow: 'sum of PSS of the Chromium processes, sampled every 250 ms',
      ...(r.rows ? { detail: { driftRows: r.rows } } : {}),
    };
  } finally {
    peak.stop();
    await app.close();
  }
}

const scenario: Scenario = {
  id: 'browser-10m',
  title: 'Ten million rows in Chromium (built app)',
  aim: 'scale issue: a 10M-row log loads and every view works within the heap',
  runs: 1,
  pending: async () => null,
  prepare: async (ctx) => (await import('../lib/browser')).buildApp(ctx.root),
  cases: (ctx) => {
    const largest = Object.values(ctx.files.log).sort((a, b) => b.rows - a.rows)[0]!;
    const rows = `${ctx.files.reference.rows.toLocaleString('en-US')} reference + ${largest.rows.toLocaleString('en-US')}-row log (Parquet, 31 columns)`;
    return (['drift', 'overview'] as const).map((view) => ({
      key: view,
      label: `${rows}: ${view === 'drift' ? 'Drift tab, Compare at once, to the first drift row' : 'Overview (drift, quality, performance, checks) to its drift card'}`,
      heavy: true,
      params: { view, reference: ctx.files.reference.parquet, log: largest.parquet },
    }));
  },
  lantern: { name: 'Lantern in Debian Chromium (headless, playwright-core), built app', run },
};

export default scenario;
