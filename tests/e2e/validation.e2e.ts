import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPaths, launch, openApp } from './browser';

const path = (name: string) => fileURLToPath(new URL(`../fixtures/validation/${name}`, import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fx = JSON.parse(readFileSync(path('validation.json'), 'utf8')) as any;
const fairness = (threshold: number) =>
  fx.fair.fairness.find(
    (f: { sensitive: string[]; threshold: number }) => f.sensitive.join() === 'age,religious' && f.threshold === threshold,
  );

const disparity = (page: Page, key: string) => page.locator(`[data-testid="validation-disparity"][data-key="${key}"] dd`).textContent();
const check = (page: Page, id: string) =>
  page.locator(`[data-testid="validation-check"][data-id="${id}"] [data-testid="status-badge"]`).textContent();

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('validation view', () => {
  it('validates a model before deployment: fairness with a live threshold, planted leaks, gaps, robustness and checks', async () => {
    const { page, errors } = await openApp(browser);
    await dropPaths(page, [path('fair_train.csv'), path('fair_test.csv'), path('fair_model.json')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await expect
      .poll(() => page.getByTestId('notice-info').allTextContents(), { timeout: 60_000 })
      .toContainEqual(expect.stringContaining('Model "fair_model.json" loaded'));
    await page.getByRole('tab', { name: 'Validation' }).click();

    // The evaluation and training files are told apart by the workspace's setup.
    await expect
      .poll(() => page.getByTestId('validation-train').locator('option:checked').textContent(), { timeout: 60_000 })
      .toBe('fair_train.csv');
    expect(await page.getByTestId('validation-data').locator('option:checked').textContent()).toBe('fair_test.csv');

    const sensitive = page.getByTestId('validation-sensitive');
    await sensitive.getByLabel('age', { exact: true }).check();
    // Keyboard as well as mouse: tab to the next checkbox and tick it with the space bar.
    await sensitive.getByLabel('religious', { exact: true }).focus();
    await page.keyboard.press('Space');
    await page.getByTestId('validation-run').click();

    const at05 = fairness(0.5);
    await expect
      .poll(() => disparity(page, 'demographic_parity_difference'), { timeout: 120_000 })
      .toBe(at05.demographic_parity_difference.toFixed(4));
    expect(await disparity(page, 'equalized_odds_difference')).toBe(at05.equalized_odds_difference.toFixed(4));
    expect(await disparity(page, 'demographic_parity_ratio')).toBe(at05.demographic_parity_ratio.toFixed(4));
    expect(await page.getByTestId('validation-group').count()).toBe(at05.groups.length);
    // The task's metrics per group, with intervals: ROC AUC equals sklearn's per group.
    const aucs = (await page.getByTestId('validation-group').locator('td[data-metric="roc_auc"]').allTextContents())
      .map((t) => t.trim().slice(0, 6))
      .sort();
    expect(aucs).toEqual(at05.groups.map((g: { roc_auc: number | null }) => (g.roc_auc === null ? '—' : g.roc_auc.toFixed(4))).sort());
    const small = at05.groups.filter((g: { ranked: boolean }) => !g.ranked).length;
    expect(await page.getByTestId('validation-group').filter({ hasText: 'too small to compare' }).count()).toBe(small);

    expect(await page.getByTestId('validation-tradeoff').locator('svg path').count()).toBeGreaterThan(0);
    // The slider shows the trade-off at once: 20 steps down with the keyboard is threshold 0.30.
    await page.getByTestId('validation-threshold').focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('validation-threshold-value').textContent()).toBe('0.30');
    const at03 = fairness(0.3);
    await expect
      .poll(() => disparity(page, 'demographic_parity_difference'), { timeout: 20_000 })
      .toBe(at03.demographic_parity_difference.toFixed(4));
    expect(await disparity(page, 'equalized_odds_difference')).toBe(at03.equalized_odds_difference.toFixed(4));

    // The planted leaks are flagged with their evidence; the real strong features are not.
    const leaks = await page
      .getByTestId('validation-leak')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-column')}:${e.getAttribute('data-reason')}`));
    expect(leaks.sort()).toEqual(['affairs:single-feature', 'case_no:id-copy', 'case_no:single-feature', 'respondent_id:shared-ids']);
    expect(await page.getByTestId('validation-leakage').textContent()).toContain('25 of the evaluation data');

    // Train-test gap in ROC AUC equals sklearn's.
    const auc = fx.fair.overfitting.gaps.roc_auc;
    const gapRow = page.locator('[data-testid="validation-gap"][data-metric="roc_auc"] td');
    expect(await gapRow.nth(1).textContent()).toBe(auc.train.toFixed(4));
    expect(await gapRow.nth(2).textContent()).toBe(auc.test.toFixed(4));
    expect(await gapRow.nth(3).textContent()).toBe(auc.gap.toFixed(4));

    // With the model: the most fragile feature first.
    expect(await page.getByTestId('validation-feature').first().locator('td').first().textContent()).toBe('rate_marriage');

    expect(await check(page, 'leakage:columns')).toBe('fail');
    expect(await check(page, 'overfitting:roc_auc')).toBe('fail');
    expect(await check(page, 'fairness:demographic_parity_difference')).toBe('fail');
    expect(await page.getByTestId('validation-missing').textContent()).toContain('timestamp');
    expect(errors).toEqual([]);
  }, 300_000);
});
