import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp } from './browser';

type Expected = Record<string, number | null>;
const demo = JSON.parse(readFileSync(new URL('../fixtures/metrics/demo.json', import.meta.url), 'utf8')) as {
  predictions: number;
  matched: number;
  'at_0.5': Expected;
  'at_0.3': Expected;
  per_region: (Expected & { value: string })[];
};

// What the cards show: 4 decimals, "undefined" where sklearn has no value.
const shown = (v: number | null | undefined) => (v === null || v === undefined ? 'undefined' : v.toFixed(4));
const card = (page: Page, name: string) => page.getByTestId(`metric-${name}-value`).textContent();

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('performance view on the bundled demo', () => {
  it('shows sklearn-exact metrics, follows the threshold slider, and finds the planted segment', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    await page.getByRole('tab', { name: 'Performance' }).click();

    // Labels from labels.csv joined by prediction id.
    await expect
      .poll(() => page.getByTestId('label-join').textContent(), { timeout: 90_000 })
      .toContain(`${demo.matched.toLocaleString('en-US')} of ${demo.predictions.toLocaleString('en-US')}`);
    expect(await page.getByTestId('task').inputValue()).toBe('binary');
    expect(await page.getByTestId('positive-class').inputValue()).toBe('1');

    // Every card at the threshold the predictions were made at.
    const at5 = demo['at_0.5'];
    await expect.poll(() => card(page, 'roc_auc'), { timeout: 90_000 }).toBe(shown(at5['roc_auc']));
    for (const name of ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'fpr', 'fnr', 'average_precision', 'log_loss', 'brier']) {
      expect(await card(page, name), name).toBe(shown(at5[name]));
    }
    expect(await page.getByTestId('confusion-1-1').textContent()).toBe(String(at5['tp']));
    expect(await page.getByTestId('metric-roc_auc').textContent()).toMatch(/bootstrap/);
    expect(await page.getByTestId('metric-accuracy').textContent()).toMatch(/wilson/);

    // Move the slider to 0.30: threshold metrics and the confusion matrix follow.
    const at3 = demo['at_0.3'];
    await page.getByTestId('threshold').fill('0.3');
    await expect.poll(() => page.getByTestId('threshold-value').textContent(), { timeout: 30_000 }).toBe('0.30');
    // Live: answered from the worker's cached counts, also while a slice search runs (it yields).
    await expect.poll(() => card(page, 'recall'), { timeout: 30_000 }).toBe(shown(at3['recall']));
    expect(await card(page, 'precision')).toBe(shown(at3['precision']));
    expect(await card(page, 'roc_auc')).toBe(shown(at3['roc_auc']));
    await expect.poll(() => page.getByTestId('confusion-1-1').textContent(), { timeout: 30_000 }).toBe(String(at3['tp']));
    // The move's cost is shown: every threshold-dependent view recomputed from cached counts in the worker.
    const timing = page.getByTestId('threshold-timing');
    await timing.waitFor({ timeout: 30_000 });
    expect(Number(await timing.getAttribute('data-engine-ms'))).toBeLessThan(200);
    await page.getByTestId('threshold').fill('0.5');
    await expect.poll(() => card(page, 'recall'), { timeout: 30_000 }).toBe(shown(at5['recall']));

    // Charts drawn: curves, over time with label counts.
    for (const id of ['roc-chart', 'pr-chart', 'reliability-chart', 'sweep-chart'])
      await page.getByTestId(id).locator('svg').first().waitFor();
    await page.getByTestId('time-chart').locator('svg').first().waitFor({ timeout: 90_000 });
    await page.getByTestId('label-count-chart').locator('svg').first().waitFor();

    // Metrics by region equal sklearn per region.
    await page.getByTestId('slice-dimension').selectOption('region');
    await expect.poll(() => page.getByTestId('slice-table').locator('tbody tr').count(), { timeout: 60_000 }).toBe(demo.per_region.length);
    const rows = await page.getByTestId('slice-table').locator('tbody tr').allTextContents();
    for (const r of demo.per_region) {
      const row = rows.find((t) => t.startsWith(`region = ${r.value}`));
      expect(row, r.value).toBeDefined();
      expect(row).toContain(shown(r['accuracy']));
    }

    // The planted problem (region north from 2026-09-28) is among the worst and the worsened slices.
    await expect.poll(() => page.getByTestId('worst-slices').textContent(), { timeout: 120_000 }).toContain('region = north');
    expect(await page.getByTestId('worsened-slices').textContent()).toContain('region = north');
    // Against the training data as reference, the drifted segment stands out too.
    expect(await page.getByTestId('worsened-vs-reference').textContent()).toContain('region = north');

    // Heatmap of a metric over two dimensions.
    await page.getByTestId('heatmap-draw').click();
    await page.getByTestId('heatmap-chart').locator('svg').first().waitFor({ timeout: 60_000 });
    // The dimension with more values (7 merchant categories against 2 months) reads down the rows.
    const heatmap = page.getByTestId('heatmap-chart');
    expect(await heatmap.locator('g[aria-label="y-axis tick label"] text').count()).toBe(7);
    expect(await heatmap.locator('g[aria-label="x-axis tick label"] text').count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
