import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the bundled demo', () => {
  it('loads from the first screen with inferred roles', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(3);
    const names = await page.getByTestId('dataset-item').allTextContents();
    expect(names.join(' ')).toMatch(/training\.csv.*20,000 rows.*production\.csv.*30,000 rows.*labels\.csv/);
    await page.getByTestId('dataset-item').nth(1).click();
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('production.csv');
    expect(await page.getByLabel('Role of prediction_id').inputValue()).toBe('id');
    expect(await page.getByLabel('Role of timestamp').inputValue()).toBe('timestamp');
    expect(await page.getByLabel('Role of score').inputValue()).toBe('score');
    expect(await page.getByLabel('Role of prediction', { exact: true }).inputValue()).toBe('prediction');
    expect(await page.getByLabel('Role of region').inputValue()).toBe('segment');
    // Roles are the user's to change.
    await page.getByLabel('Role of channel').selectOption('segment');
    expect(await page.getByLabel('Role of channel').inputValue()).toBe('segment');
    expect(await page.getByTestId('privacy').textContent()).toContain('stays on this device');
    expect(errors).toEqual([]);
  });
});
