import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPaths, launch, openApp } from './browser';

const path = (name: string) => new URL(`../fixtures/ops/${name}`, import.meta.url).pathname;
const LONG = { timeout: 90_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('SQL console', () => {
  it('runs a query by keyboard with completion, charts it, exports it, refuses a write and keeps the result as a dataset', async () => {
    const { page, errors } = await openApp(browser);
    await dropPaths(page, [path('service_log.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(1);
    await page.getByRole('tab', { name: 'SQL' }).click();
    await expect.poll(() => page.getByTestId('console-tables').textContent(), LONG).toContain('service_log');

    // Keyboard: type, accept the completion of the table name with Enter, run with Ctrl+Enter.
    const editor = page.getByTestId('console-editor');
    await editor.click();
    await page.keyboard.type('SELECT model_version, count(*)::INTEGER AS n FROM service_l');
    await page.locator('.cm-tooltip-autocomplete').getByText('service_log').waitFor(LONG);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' GROUP BY ALL ORDER BY 1');
    expect(await editor.textContent()).toBe('SELECT model_version, count(*)::INTEGER AS n FROM service_log GROUP BY ALL ORDER BY 1');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('console-result-size').textContent(), LONG).toMatch(/^2 rows, 2 columns/);
    // Counts from pandas: value_counts() of model_version.
    await expect.poll(() => page.getByTestId('preview').textContent(), LONG).toContain('v16,441');
    expect(await page.getByTestId('preview').textContent()).toContain('v23,562');

    // One click: a bar chart of n by model_version.
    expect(await page.getByTestId('console-chart-kind').locator('option').first().textContent()).toBe('bars: n by model_version');
    await page.getByTestId('console-chart').click();
    await page.getByTestId('console-chart-figure').locator('svg').first().waitFor(LONG);

    // Export as CSV: the file the user gets.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('console-export-csv').click()]);
    expect(readFileSync((await csv.path())!, 'utf8')).toBe('model_version,n\nv1,6441\nv2,3562\n');
    const [parquet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('console-export-parquet').click()]);
    expect(
      readFileSync((await parquet.path())!)
        .subarray(0, 4)
        .toString(),
    ).toBe('PAR1');

    // A write is refused; the result stays.
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('DROP TABLE service_log');
    await page.getByTestId('console-run').click();
    await expect.poll(() => page.getByTestId('console-error').textContent(), LONG).toContain('read-only');
    expect(await page.getByTestId('console-result-size').textContent()).toMatch(/^2 rows/);
    expect(await page.getByTestId('console-history').locator('li').count()).toBe(2);

    // Create table from result: a second dataset.
    await page.getByTestId('console-table-name').fill('per_version');
    await page.getByTestId('console-create-table').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
    expect(await page.getByTestId('console-tables').textContent()).toContain('per_version');
    expect(errors).toEqual([]);
  });
});
