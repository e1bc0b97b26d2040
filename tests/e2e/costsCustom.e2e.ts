import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPaths, launch, openApp } from './browser';

const path = (name: string) => new URL(`../fixtures/ops/${name}`, import.meta.url).pathname;
const fixture = <T>(name: string) => JSON.parse(readFileSync(path(name), 'utf8')) as T;
const costs = fixture<{
  cases: Record<string, { at: { threshold: number; per_prediction: number }[]; best_threshold: number; best_per_prediction: number }>;
}>('costs.json');
const custom = fixture<{
  metrics: Record<string, { expression: string; overall: number; by_day: { start: string; value: number | null }[] }>;
}>('custom.json');
// As the view shows numbers: 4 decimals.
const shown = (v: number) => v.toFixed(4);
const LONG = { timeout: 90_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function openLog(page: Page): Promise<void> {
  await dropPaths(page, [path('service_log.csv')]);
  await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(1);
  await page.getByRole('tab', { name: 'Data' }).click();
  // "delayed" is not a name Lantern reads as a label: the user says so.
  await page.getByLabel('Role of delayed').selectOption('label');
  await page.getByRole('tab', { name: 'Performance' }).click();
  await expect.poll(() => page.getByTestId('threshold-value').textContent(), LONG).toBe('0.30');
}

describe('costs and custom metrics in the Performance view', () => {
  it('sets costs by keyboard, follows the threshold by keyboard and mouse, and jumps to the cost-optimal threshold', async () => {
    const { page, errors } = await openApp(browser);
    await openLog(page);
    const c = costs.cases['fraud_like']!;
    const perPrediction = () => page.getByTestId('cost-per-prediction').textContent();

    // Keyboard: type the costs and submit with Enter.
    await page.getByTestId('cost-fp').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('5');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    await expect.poll(perPrediction, LONG).toBe(shown(c.at.find((a) => a.threshold === 0.3)!.per_prediction));
    expect(await page.getByTestId('cost-best-threshold').textContent()).toBe(String(c.best_threshold));
    expect(await page.getByTestId('cost-best-per-prediction').textContent()).toBe(shown(c.best_per_prediction));
    await page.getByTestId('cost-curve').locator('svg').first().waitFor(LONG);
    await page.getByTestId('cost-time-chart').locator('svg').first().waitFor(LONG);

    // Mouse: the slider to 0.50; the cost follows live.
    await page.getByTestId('threshold').fill('0.5');
    await expect.poll(perPrediction, LONG).toBe(shown(c.at.find((a) => a.threshold === 0.5)!.per_prediction));
    // Keyboard: twenty steps of 0.01 down, back to 0.30.
    await page.getByTestId('threshold').focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('threshold-value').textContent(), LONG).toBe('0.30');
    await expect.poll(perPrediction, LONG).toBe(shown(c.at.find((a) => a.threshold === 0.3)!.per_prediction));

    // The cost-optimal threshold, by keyboard (Enter on the focused button).
    await page.getByTestId('cost-use-best').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('threshold-value').textContent(), LONG).toBe(c.best_threshold.toFixed(2));
    await expect.poll(perPrediction, LONG).toBe(shown(c.best_per_prediction));

    // Kept as a check for later runs (the Checks view needs a reference to run it).
    await page.getByTestId('cost-add-check').click();
    await expect
      .poll(() => page.getByTestId('cost-check-note').textContent())
      .toMatch(/^Added to the Checks: cost per prediction at most /);
    expect(errors).toEqual([]);
  });

  it('writes a custom metric, refuses an unknown column by name, and shows it per day', async () => {
    const { page, errors } = await openApp(browser);
    await openLog(page);
    const m = custom.metrics['missed_delays']!;

    // A typo in a column: refused, naming the column.
    await page.getByTestId('custom-name').fill('missed_delays');
    await page.getByTestId('custom-expression').fill(m.expression.replace('delayed = 1', 'delayd = 1'));
    await page.getByTestId('custom-add').click();
    await expect.poll(() => page.getByTestId('custom-error').textContent(), LONG).toContain('unknown column "delayd"');

    // Fixed by keyboard: select all, type, Enter.
    await page.getByTestId('custom-expression').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(m.expression);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('custom-value-missed_delays').textContent(), LONG).toBe(shown(m.overall));
    expect(await page.getByTestId('custom-error').count()).toBe(0);
    await page.getByTestId('custom-time-chart').locator('svg').first().waitFor(LONG);

    // Per day, as pandas has it.
    const rows = await page.getByTestId('custom-windows').locator('tbody tr').allTextContents();
    expect(rows.length).toBe(m.by_day.length);
    for (const d of m.by_day.slice(0, 10)) {
      const row = rows.find((r) => r.startsWith(d.start.slice(0, 10)));
      expect(row, d.start).toBeDefined();
      expect(row).toContain(d.value === null ? 'undefined' : shown(d.value));
    }
    expect(errors).toEqual([]);
  });
});
